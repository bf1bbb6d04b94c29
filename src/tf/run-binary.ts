// Runs the tofu/terraform binary without a shell (argv passed verbatim) and streams its output line by line.
// Guarantees: resolves with the exit code (or rejects with BinaryExitError when `throwOnError`), kills the process on
// abort or timeout (BinaryAbortedError), forwards interrupts of an InterruptSource signal to it and keeps reading its
// output until it exits, never leaves it running after the promise settles.

import { spawn } from 'node:child_process';
import { isatty } from 'node:tty';
import { InterruptSource, type InterruptCause } from './interrupt-source.js';
import { BinaryAbortedError, BinaryExitError, BinaryInterruptedError } from './tf-errors.js';

export type OutputStream = 'stdout' | 'stderr';

export interface RunBinaryOptions {
  cwd?: string;
  /** The child's whole environment. @default process.env */
  env?: NodeJS.ProcessEnv;
  /**
   * Called once per complete line (without its newline), in order, as the binary prints it. `shown`: how many of
   * its first characters `onPrompt` passed on already (0 unless the line was a prompt).
   */
  onLine?: (stream: OutputStream, line: string, shown: number) => void;
  /**
   * Called with the unterminated end of a stream when the binary stops mid-line for 100 ms: a prompt waiting for
   * input (`Enter a value: `), which a line-by-line reader would otherwise hold back until the user answered.
   * @default prompts are held back
   */
  onPrompt?: (stream: OutputStream, text: string) => void;
  /** Keep stdout/stderr text in the result. Turn off for huge outputs that are only streamed. @default true */
  capture?: boolean;
  /**
   * Aborting kills the process (SIGTERM, then SIGKILL after 5 s) and rejects with BinaryAbortedError.
   * The signal of an InterruptSource is followed instead (forwarding mode): each interrupt is passed to the process
   * once (SIGTERM as SIGTERM, SIGINT and EPIPE as SIGINT), its output is read until it exits, and the promise
   * resolves with its exit as usual (`interrupted` set). A run asked for after an interrupt is not started
   * (BinaryInterruptedError). The process runs in its own process group, so a signal sent to velocity's group reaches
   * it once, through velocity; except when it reads a terminal (`stdin: 'inherit'` on a TTY): it then stays in
   * velocity's group to read prompts, and a SIGINT is not forwarded (the terminal's Ctrl-C reached it already).
   */
  signal?: AbortSignal;
  /** Kill the process after this many ms and reject with BinaryAbortedError (code TF_TIMEOUT). */
  timeoutMs?: number;
  /** Reject with BinaryExitError when the exit code is not 0 (or not in `okExitCodes`). @default false */
  throwOnError?: boolean;
  /** Exit codes that are not errors for `throwOnError`. @default [0] */
  okExitCodes?: readonly number[];
  /** stdin of the child: nothing (`ignore`, reads see EOF) or the parent's (`inherit`, for prompts). @default 'ignore' */
  stdin?: 'ignore' | 'inherit';
}

export interface RunBinaryResult {
  /** The binary's exit code; null only when it was killed by a signal. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Captured output ('' when `capture` is false). */
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  /** Forwarding mode: the first interrupt that arrived while the process ran. */
  readonly interrupted?: InterruptCause;
}

/** Splits a byte stream into lines, holding back an unterminated tail until more data, the end or a 100 ms pause. */
class LineSplitter {
  private tail = '';
  /** Characters of `tail` passed to `prompt` already. */
  private shown = 0;
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly emit: (line: string, shown: number) => void,
    private readonly prompt?: (text: string) => void,
  ) {}
  push(text: string): void {
    const joined = this.tail + text;
    let start = 0;
    for (let nl = joined.indexOf('\n', start); nl !== -1; nl = joined.indexOf('\n', start)) {
      const end = nl > start && joined.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.emit(joined.slice(start, end), Math.min(this.shown, end - start));
      this.shown = 0;
      start = nl + 1;
    }
    this.tail = joined.slice(start);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.prompt && this.tail.length > this.shown) {
      this.timer = setTimeout(() => this.flushPrompt(), 100);
      this.timer.unref();
    }
  }
  private flushPrompt(): void {
    this.timer = undefined;
    if (this.tail.length <= this.shown) return;
    this.prompt?.(this.tail.slice(this.shown));
    this.shown = this.tail.length;
  }
  end(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.tail !== '') this.emit(this.tail, this.shown);
    this.tail = '';
    this.shown = 0;
  }
}

/**
 * Runs `file args...` and resolves when it exits. O(output) time and (with `capture`) memory.
 * @throws BinaryExitError (when `throwOnError`), BinaryAbortedError (abort/timeout); spawn failures (ENOENT) reject
 *   with the underlying Node error.
 */
export function runBinary(file: string, args: readonly string[], options: RunBinaryOptions = {}): Promise<RunBinaryResult> {
  const command = [file, ...args];
  const capture = options.capture ?? true;
  const started = performance.now();
  const interrupts = InterruptSource.of(options.signal);
  const stdin = options.stdin ?? 'ignore';
  // NOTE: isatty(0), not process.stdin.isTTY: touching process.stdin opens a stream on the terminal the child reads.
  const foreground = interrupts !== undefined && stdin === 'inherit' && isatty(0);
  const running = new Promise<RunBinaryResult>((resolvePromise, reject) => {
    const first = interrupts?.received[0];
    if (first !== undefined) {
      reject(new BinaryInterruptedError(command, first));
      return;
    }
    if (!interrupts && options.signal?.aborted) {
      reject(new BinaryAbortedError(command, 'aborted'));
      return;
    }
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [stdin, 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
      // Its own process group: a Ctrl-C (or a kill of velocity's group) then reaches it only through velocity,
      // exactly once per signal. A second Ctrl-C, forwarded too, is terraform's "stop now", as without velocity.
      detached: interrupts !== undefined && !foreground,
    });
    const out: string[] = [];
    const err: string[] = [];
    let stopped: 'timeout' | 'aborted' | undefined;
    let interrupted: InterruptCause | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let exited = false;
    const stop = (why: 'timeout' | 'aborted'): void => {
      if (stopped) return;
      stopped = why;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
      killTimer.unref();
    };
    const forward = (cause: InterruptCause): void => {
      interrupted ??= cause;
      if (exited || stopped) return;
      // NOTE: in velocity's foreground group the terminal sent this SIGINT to the child too: a second copy from
      // velocity would be terraform's "two interrupts, exit now" and leave the state locked.
      if (foreground && cause === 'SIGINT') return;
      const sig = cause === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
      // To its whole group, as a terminal's Ctrl-C would (terraform's providers are in it and expect it).
      try {
        if (child.pid !== undefined && !foreground) process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        child.kill(sig);
      }
    };
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), options.timeoutMs);
    const onAbort = (): void => stop('aborted');
    if (!interrupts) options.signal?.addEventListener('abort', onAbort, { once: true });
    const stopForwarding = interrupts?.onInterrupt(forward);
    const splitters = {
      stdout: new LineSplitter((line, shown) => options.onLine?.('stdout', line, shown), options.onPrompt && ((text) => options.onPrompt?.('stdout', text))),
      stderr: new LineSplitter((line, shown) => options.onLine?.('stderr', line, shown), options.onPrompt && ((text) => options.onPrompt?.('stderr', text))),
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (capture) out.push(chunk);
      splitters.stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: string) => {
      if (capture) err.push(chunk);
      splitters.stderr.push(chunk);
    });
    child.on('exit', () => {
      exited = true;
    });
    const cleanup = (): void => {
      exited = true;
      if (timer) clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      stopForwarding?.();
    };
    child.on('error', (error) => {
      cleanup();
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      cleanup();
      splitters.stdout.end();
      splitters.stderr.end();
      if (stopped) {
        reject(new BinaryAbortedError(command, stopped, options.timeoutMs));
        return;
      }
      const result: RunBinaryResult = {
        exitCode,
        signal,
        stdout: out.join(''),
        stderr: err.join(''),
        durationMs: performance.now() - started,
        ...(interrupted !== undefined ? { interrupted } : {}),
      };
      const ok = options.okExitCodes ?? [0];
      if (options.throwOnError && (exitCode === null || !ok.includes(exitCode))) reject(new BinaryExitError(command, result));
      else resolvePromise(result);
    });
  });
  interrupts?.track(running);
  return running;
}
