// Test support: the built `bin/velocity.js` (or any command, e.g. terraform) as a child process in its own process
// group that a test can watch (its output so far, its child processes) and kill mid-run; plus a bounded poll. For
// fault tests (kill -9 mid-apply). Guarantees: every child's group is SIGKILLed after `timeoutMs`; `until` never
// waits past its timeout.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { velocityBin } from './built-package.js';

export interface VelocityChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface VelocityChild {
  readonly pid: number;
  /** stdout + stderr so far. */
  output(): string;
  readonly done: Promise<VelocityChildExit>;
}

/** Spawns `node bin/velocity.js ...args` detached (its own process group), stdin ignored. O(1). */
export function startVelocity(args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): VelocityChild {
  return startDetached(process.execPath, [velocityBin, ...args], options);
}

/** Spawns any `command` the same way (e.g. the terraform binary, to kill it mid-run). O(1). */
export function startDetached(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): VelocityChild {
  const child = spawn(command, [...args], { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  // NOTE: the whole group: a terraform provisioner's `sleep` must not outlive a test.
  const timer = setTimeout(() => killGroup(child.pid as number), options.timeoutMs ?? 90_000);
  const done = new Promise<VelocityChildExit>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { pid: child.pid as number, output: () => stdout + stderr, done };
}

/** SIGKILLs the process group of a detached child (the child and what it started); a group that is gone is fine. O(1). */
export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** PIDs whose parent is `pid`, with their command name (Linux /proc). O(processes). */
export function childrenOf(pid: number): { pid: number; comm: string; pgid: number }[] {
  const out: { pid: number; comm: string; pgid: number }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) out.push({ pid: Number(name), comm, pgid: Number(fields[2]) });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Polls `check` every 50 ms until it holds; throws naming `what()` after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: () => string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
