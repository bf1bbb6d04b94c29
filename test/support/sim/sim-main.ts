// Child-process entry of the sim: `node --import tsx sim-main.ts <dir> <behaviour JSON>`. Prints one JSON line
// {pid, socketPath, controlUrl} on stdout when ready. Exits when stdin closes (the parent died or stopped it) or on
// SIGTERM/SIGINT, removing its dir, so a crashed test run leaves neither a process nor a socket behind.
import { rmSync } from 'node:fs';
import { hostSim } from './sim-host.js';
import type { SimBehaviour } from './sim-cloud.js';

const [dir, behaviourJson] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: sim-main.ts <dir> [behaviour JSON]');
const behaviour = JSON.parse(behaviourJson ?? '{}') as SimBehaviour;
const sim = await hostSim(dir, behaviour);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  // NOTE: a hard deadline so a stuck connection can never keep the child alive.
  setTimeout(() => process.exit(0), 2_000).unref();
  void sim.close().finally(() => {
    // The dir is private to this sim (startSim made it): remove it even when the parent died without cleaning up.
    rmSync(dir, { recursive: true, force: true });
    process.stdin.destroy();
  });
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdout.write(`${JSON.stringify({ pid: sim.pid, socketPath: sim.socketPath, controlUrl: sim.controlUrl })}\n`);
