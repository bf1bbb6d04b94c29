// Test support: the real `velocity serve` process (bin/velocity.js, built) on the shared PostgreSQL (DATABASE_URL,
// its own --schema), on 127.0.0.1 and a free port; resolves once it says where it listens. stop() sends a signal
// and resolves with the exit code (bounded: SIGKILL after 20 s).
import { spawn, type ChildProcess } from 'node:child_process';
import { velocityBin } from '../../support/built-package.js';

export interface SpawnedServe {
  readonly url: string;
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function spawnServe(pgUrl: string, schema: string, extra: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<SpawnedServe> {
  const child = spawn(process.execPath, [velocityBin, 'serve', '--listen', '127.0.0.1:0', '--schema', schema, ...extra], { env: { ...process.env, DATABASE_URL: pgUrl, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((ok) => child.on('close', (code, signal) => ok(code ?? (signal ? -1 : null))));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`velocity serve did not start in 30 s: ${err}`)), 30_000);
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /listening on (http:\/\/\S+) .*\n/.exec(err);
      if (m) {
        clearTimeout(timer);
        ok(m[1] as string);
      }
    });
    child.on('close', () => fail(new Error(`velocity serve exited: ${err}`)));
  });
  // NOTE: stdout and stderr are separate pipes: the backend block (stdout, written first) may arrive second.
  for (let i = 0; i < 100 && !out.includes('backend "http"'); i++) await new Promise((r) => setTimeout(r, 50));
  return {
    url,
    child,
    stdout: () => out,
    stderr: () => err,
    stop: async (signal = 'SIGINT') => {
      if (child.exitCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
