// `<bin> state pull` as a byte stream: the binary's stdout is handed to the state scanner chunk by chunk, never
// joined into one string, so a remote state of any size (over Node's 512 MB string cap) loads.
// Guarantees: the process is killed when the reader stops early or the signal aborts; `exited` always settles.

import { spawn } from 'node:child_process';
import { InterruptSource } from './interrupt-source.js';
import { BinaryAbortedError, BinaryInterruptedError } from './tf-errors.js';

export interface PulledState {
  /** stdout of `state pull`, as it arrives. Iterate once. */
  readonly chunks: AsyncIterable<Uint8Array>;
  /** Resolves when the binary has exited (after `chunks` ends or is abandoned). */
  readonly exited: Promise<{ readonly exitCode: number | null; readonly stderr: string }>;
}

/**
 * Starts `<binary> ...globalArgs state pull`. O(state bytes) streamed; memory O(one chunk) plus stderr.
 * NOTE: spawned here rather than through runBinary, which delivers text lines: the scanner wants raw bytes.
 * @throws BinaryAbortedError (from `exited`) when `signal` aborts; BinaryInterruptedError for an InterruptSource's signal
 */
export function pullState(binary: string, globalArgs: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; signal?: AbortSignal }): PulledState {
  const argv = [...globalArgs, 'state', 'pull'];
  const child = spawn(binary, argv, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], shell: false, windowsHide: true });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c: string) => (stderr += c));
  let aborted = false;
  const onAbort = (): void => {
    aborted = true;
    child.kill('SIGTERM');
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const exited = new Promise<{ exitCode: number | null; stderr: string }>((done, fail) => {
    child.on('error', (error) => {
      options.signal?.removeEventListener('abort', onAbort);
      fail(error);
    });
    child.on('close', (exitCode) => {
      options.signal?.removeEventListener('abort', onAbort);
      // An interrupt (Ctrl-C through the CLI's InterruptSource) is reported as such, so the CLI exits 130/143.
      const cause = InterruptSource.of(options.signal)?.received[0];
      if (aborted) fail(cause !== undefined ? new BinaryInterruptedError([binary, ...argv], cause) : new BinaryAbortedError([binary, ...argv], 'aborted'));
      else done({ exitCode, stderr });
    });
  });
  exited.catch(() => {});
  // The CLI waits for every child it started before it exits (a Ctrl-C must not orphan `state pull`).
  InterruptSource.of(options.signal)?.track(exited);
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let complete = false;
    try {
      for await (const chunk of child.stdout) yield chunk as Buffer;
      complete = true;
    } finally {
      // NOTE: a reader that stops early (a parse error) must not leave the binary blocked on a full pipe.
      if (!complete) child.kill('SIGTERM');
    }
  }
  return { chunks: chunks(), exited };
}
