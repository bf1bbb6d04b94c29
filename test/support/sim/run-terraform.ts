// runTerraform: run the real terraform binary against a sim, asynchronously, with a timeout; for tests and benchmarks.
// Guarantees: never throws on a non-zero exit (the caller asserts on `code`); the process is killed at the timeout;
// never blocks the event loop (an in-process sim must keep answering while terraform runs).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tfBinary } from '../terraform-env.js';

/** Result of one terraform run. */
export interface TerraformRun {
  /** Exit code (null when killed by a signal). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time in ms. */
  wallMs: number;
  /** Terraform's peak RSS in KiB, when `measure` was set (from /usr/bin/time). */
  maxRssKb?: number;
  /** Terraform's CPU time (user + system) in ms, when `measure` was set. */
  cpuMs?: number;
}

/** Options of runTerraform. */
export interface RunTerraformOptions {
  cwd: string;
  /** Extra environment (e.g. `sim.reattachEnv()`), merged over process.env. */
  env?: Record<string, string>;
  /** Kill terraform after this many ms. @default 120000 */
  timeoutMs?: number;
  /** The binary. @default terraformBin() */
  bin?: string;
  /** Measure terraform's peak RSS and CPU time by running it under /usr/bin/time (when present). @default false */
  measure?: boolean;
}

const TIME_BIN = '/usr/bin/time';
const MARK = '__velocity_sim_usage=';

/** The binary tests use: tfBinary (VELOCITY_TF_BINARY, then tofu, then terraform on PATH), else `terraform`. O(1). */
export function terraformBin(): string {
  return tfBinary ?? 'terraform';
}

/** Whether the terraform binary runs at all (tests skip at runtime only when it is truly absent). O(1) + one exec. */
export function terraformAvailable(): boolean {
  return spawnSync(terraformBin(), ['version'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
}

/** Run `terraform args...` in `cwd`. O(output). */
export function runTerraform(args: readonly string[], options: RunTerraformOptions): Promise<TerraformRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const bin = options.bin ?? terraformBin();
    const measure = options.measure === true && existsSync(TIME_BIN);
    // NOTE: /usr/bin/time adds one fork+exec (~1 ms); it prints the mark as the last stderr line, stripped below.
    const [cmd, argv] = measure ? [TIME_BIN, ['-f', `${MARK}%M,%U,%S`, bin, ...args]] : [bin, [...args]];
    const child = spawn(cmd, argv, {
      cwd: options.cwd,
      env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      const stderr = Buffer.concat(err).toString('utf8');
      const run: TerraformRun = { code, stdout: Buffer.concat(out).toString('utf8'), stderr, wallMs };
      const mark = stderr.lastIndexOf(MARK);
      if (measure && mark >= 0) {
        const [rss, user, sys] = stderr.slice(mark + MARK.length).trim().split(',').map(Number);
        run.maxRssKb = rss ?? Number.NaN;
        run.cpuMs = Math.round(((user ?? Number.NaN) + (sys ?? Number.NaN)) * 1000);
        run.stderr = stderr.slice(0, mark).replace(/Command exited with non-zero status \d+\n$/, '');
      }
      resolve(run);
    });
  });
}
