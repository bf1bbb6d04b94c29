// `npm run bench:plan`: full `terraform plan` versus `velocity plan` on 2,001 sim_resources (a controller and 80
// customer modules of 1 site, 4 tunnels, 20 devices), 20 ms per ReadResource, one device's configuration changed.
// Reports the median of 5 runs: wall time, ReadResource calls (counted by the sim) and peak RSS (largest process of
// the run, from /usr/bin/time). Every run is checked: exit code 0 and exactly "1 to change" in the plan.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Bench } from 'tinybench';
import { changeSimConfig } from '../test/support/sim-customers.js';
import { startSimWorkspace, terraformBin } from '../test/support/sim/index.js';

const root = resolve(import.meta.dirname, '..');
const CUSTOMERS = Number(process.env['BENCH_CUSTOMERS'] ?? 80);
const LATENCY_MS = Number(process.env['BENCH_LATENCY_MS'] ?? 20);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Run {
  code: number | null;
  stdout: string;
  /** Peak RSS in KiB of the largest process, or NaN when /usr/bin/time is missing. */
  rssKiB: number;
}

function runMeasured(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  const [file, args] = TIME ? [TIME, ['-f', 'VELOCITY_BENCH_RSS=%M', ...argv]] : [argv[0] as string, argv.slice(1)];
  return new Promise((done, fail) => {
    const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      const m = /VELOCITY_BENCH_RSS=(\d+)/.exec(stderr);
      if (code !== 0) process.stderr.write(stderr);
      done({ code, stdout, rssKiB: m ? Number(m[1]) : Number.NaN });
    });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

async function main(): Promise<void> {
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('run `npm run build` first (npm run bench:plan does)');
  const tf = terraformBin();
  const session = await startSimWorkspace({ workspace: { customers: CUSTOMERS, tunnelsPerCustomer: 4, devicesPerCustomer: 20, withState: true } });
  try {
    const ws = session.workspace;
    const customer = ws.customers[Math.floor(CUSTOMERS / 2)] as string;
    const device = ws.device(customer, 'd07');
    changeSimConfig(ws.dir, customer, 'd07');
    await session.sim.setLatency(LATENCY_MS);
    const env = { ...process.env, ...session.sim.reattachEnv() };
    const velocity = [process.execPath, join(root, 'bin', 'velocity.js'), 'plan', '--binary', tf];
    const commands: Record<string, string[]> = {
      'terraform plan (full)': [tf, 'plan', '-input=false', '-no-color'],
      'velocity plan (probe: plan -out + show -json)': [...velocity, '-input=false', '-no-color'],
      'velocity plan --probe=stream': [...velocity, '--probe=stream', '-input=false', '-no-color'],
      'velocity plan --changed ADDR': [...velocity, '--changed', device.address, '-input=false', '-no-color'],
    };
    const samples: Record<string, { reads: number[]; rss: number[]; savingsLine?: string }> = {};
    const bench = new Bench({ iterations: RUNS, time: 0, warmup: false });
    for (const [name, argv] of Object.entries(commands)) {
      samples[name] = { reads: [], rss: [] };
      bench.add(name, async () => {
        await session.sim.resetCounters();
        const run = await runMeasured(argv, ws.dir, env);
        const c = await session.sim.counters();
        if (run.code !== 0) throw new Error(`${name} exited ${run.code}`);
        if (!run.stdout.includes('Plan: 0 to add, 1 to change, 0 to destroy.')) throw new Error(`${name} did not plan exactly the one change`);
        const s = samples[name] as { reads: number[]; rss: number[]; savingsLine?: string };
        s.reads.push(c.rpc['ReadResource'] ?? 0);
        s.rss.push(run.rssKiB);
        s.savingsLine = run.stdout.match(/Refreshing state\.\.\. \[Velocity:[^\n]*/g)?.at(-1); // the last one: a correction wins
      });
    }
    await bench.run();
    const rows = bench.tasks.map((t) => {
      const r = t.result as { state?: string; latency?: { p50?: number } ; error?: unknown };
      if (!r.latency?.p50) throw new Error(`${t.name} failed: ${String(r.error ?? r.state)}`);
      const s = samples[t.name] as { reads: number[]; rss: number[]; savingsLine?: string };
      return { name: t.name, wallMs: r.latency.p50, reads: median(s.reads), peakRssMiB: median(s.rss) / 1024, savingsLine: s.savingsLine };
    });
    const base = rows[0] as (typeof rows)[number];
    const table = rows.map((r) => ({
      command: r.name,
      'wall (median)': `${(r.wallMs / 1000).toFixed(2)} s`,
      'vs full': `${(base.wallMs / r.wallMs).toFixed(1)}x faster`,
      ReadResource: r.reads,
      'fewer reads': `${((1 - r.reads / base.reads) * 100).toFixed(1)}%`,
      'peak RSS': Number.isNaN(r.peakRssMiB) ? 'n/a' : `${r.peakRssMiB.toFixed(0)} MiB`,
    }));
    console.log(`\nvelocity plan benchmark: ${ws.resourceCount} sim_resources (${CUSTOMERS} customer modules), ${LATENCY_MS} ms per read, one device changed (${device.address}), median of ${RUNS}\n`);
    console.table(table);
    for (const r of rows.slice(1)) console.log(`${r.name}: ${r.savingsLine ?? '(no savings line)'}`);
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    const out = join(root, 'bench', 'results', 'plan.json');
    writeFileSync(out, `${JSON.stringify({ resources: ws.resourceCount, customers: CUSTOMERS, latencyMs: LATENCY_MS, runs: RUNS, changed: device.address, terraform: tf, rows, table }, null, 2)}\n`);
    console.log(`\nwrote ${out}`);
  } finally {
    await session.stop();
  }
}

await main();
