// Preloaded into a benchmarked CLI process (`node --import ./bench/child-usage.mjs bin/velocity.js ...`): on exit it
// writes the process's own resource usage (CPU of every thread, CPU of the main thread alone where /proc has it, peak
// RSS) as JSON to $VELOCITY_BENCH_USAGE_FILE.
// Guarantees: writes nothing and changes nothing else when the variable is unset.
import { readFileSync, writeFileSync } from 'node:fs';

/** CPU ms of the main thread (Linux: /proc/self/task/<pid>/stat, utime + stime in clock ticks of 10 ms), else null. */
function mainThreadMs() {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

const target = process.env['VELOCITY_BENCH_USAGE_FILE'];
if (target) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000, mainThreadMs: mainThreadMs(), maxRssMB: u.maxRSS / 1024 }));
  });
}
