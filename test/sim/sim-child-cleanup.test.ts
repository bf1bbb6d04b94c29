// A child-process sim leaves nothing behind: stop() ends the process and removes its dir, and a sim whose parent
// dies (SIGKILL, no cleanup code runs) exits by itself and removes its dir too.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startSim } from '../support/sim/index.js';
import { alive } from '../support/process-alive.js';


async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

describe('sim child process', () => {
  it('runs in its own process, answers the control API, and stop() removes process and dir', async () => {
    const sim = await startSim({ readLatencyMs: 5 });
    try {
      expect(sim.pid).not.toBe(process.pid);
      expect(alive(sim.pid)).toBe(true);
      expect(existsSync(sim.socketPath)).toBe(true);
      expect((await sim.counters()).rpc).toEqual({});
      const env = sim.reattachEnv();
      const reattach = JSON.parse(env.TF_REATTACH_PROVIDERS ?? '{}') as Record<string, { Pid: number; Addr: { String: string } }>;
      expect(reattach['registry.terraform.io/example/sim']?.Pid).toBe(sim.pid);
      expect(reattach['registry.terraform.io/example/sim']?.Addr.String).toBe(sim.socketPath);
      expect(existsSync(env.TF_CLI_CONFIG_FILE ?? '')).toBe(true);
    } finally {
      await sim.stop();
    }
    expect(await waitFor(() => !alive(sim.pid), 3_000)).toBe(true);
    expect(existsSync(sim.dir)).toBe(false);
    await sim.stop(); // idempotent
  });

  it('exits by itself and removes its dir when its parent is killed', async () => {
    const require = createRequire(import.meta.url);
    const tsx = pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs')).href;
    const startSimUrl = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '../support/sim/start-sim.ts')).href;
    const code = `const { startSim } = await import(${JSON.stringify(startSimUrl)});
      const s = await startSim();
      console.log(JSON.stringify({ pid: s.pid, dir: s.dir }));
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let buf = '';
        parent.stdout.on('data', (b: Buffer) => {
          buf += b.toString('utf8');
          if (buf.includes('\n')) resolve(buf.slice(0, buf.indexOf('\n')));
        });
        parent.once('exit', () => reject(new Error('parent exited early')));
      });
      const { pid, dir } = JSON.parse(line) as { pid: number; dir: string };
      expect(alive(pid)).toBe(true);
      parent.kill('SIGKILL');
      expect(await waitFor(() => !alive(pid), 5_000)).toBe(true);
      expect(await waitFor(() => !existsSync(dir), 2_000)).toBe(true);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
