// runTerraform: run the real terraform binary against a sim, asynchronously, with a timeout; for tests and benchmarks.
// Guarantees: never throws on a non-zero exit (the caller asserts on `code`); the process is killed at the timeout;
// never blocks the event loop (an in-process sim must keep answering while terraform runs).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Result of one terraform run. */
export interface TerraformRun {
  /** Exit code (null when killed by a signal). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time in ms. */
  wallMs: number;
}

/** Options of runTerraform. */
export interface RunTerraformOptions {
  cwd: string;
  /** Extra environment (e.g. `sim.reattachEnv()`), merged over process.env. */
  env?: Record<string, string>;
  /** Kill terraform after this many ms. @default 120000 */
  timeoutMs?: number;
  /** The binary. @default $TERRAFORM_BIN, else /usr/local/bin/terraform if present, else `terraform` on PATH */
  bin?: string;
}

/** The terraform binary tests use. O(1). */
export function terraformBin(): string {
  return process.env.TERRAFORM_BIN ?? (existsSync('/usr/local/bin/terraform') ? '/usr/local/bin/terraform' : 'terraform');
}

/** Whether the terraform binary runs at all (tests skip at runtime only when it is truly absent). O(1) + one exec. */
export function terraformAvailable(): boolean {
  return spawnSync(terraformBin(), ['version'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
}

/** Run `terraform args...` in `cwd`. O(output). */
export function runTerraform(args: readonly string[], options: RunTerraformOptions): Promise<TerraformRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(options.bin ?? terraformBin(), args, {
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
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        wallMs: performance.now() - started,
      });
    });
  });
}
