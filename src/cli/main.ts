// Process entry for the `velocity` bin: binds the real stdio and process signals to `run` and returns its exit code.
// Guarantees: returns only after every binary it started has exited; a closed output pipe (EPIPE) ends the run
// quietly (nothing more is written, exit 141, a running binary is stopped gracefully); SIGINT/SIGTERM taken by a
// command are forwarded to its binary and give exit 130/143, otherwise they end velocity at once as usual.

import { InterruptSource, type InterruptCause } from '../tf/interrupt-source.js';
import type { CliInterrupts } from './cli-io.js';
import { run } from './run.js';

type Stream = 'stdout' | 'stderr';

/** Waits until `stream` has handed every earlier write to the OS (or failed); O(1). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    try {
      stream.write('', () => resolve());
    } catch {
      resolve();
    }
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  const source = new InterruptSource();
  let taken = false;
  let broken = false; // EPIPE on stdout or stderr: the reader is gone, write nothing more
  let writeError: { stream: Stream; code: string } | undefined;

  const onSignal = (signal: 'SIGINT' | 'SIGTERM'): void => {
    // NOTE: a second interrupt while no binary runs means "stop now" (terraform's meaning): there is nothing to wait
    // for. And a command that never took interrupts has nothing to clean up: the default (death by signal) is right.
    if (!taken || (source.received.length > 0 && !source.busy)) {
      detach();
      process.kill(process.pid, signal);
      return;
    }
    source.interrupt(signal);
  };
  const onInt = (): void => onSignal('SIGINT');
  const onTerm = (): void => onSignal('SIGTERM');
  const onError = (stream: Stream) => (error: NodeJS.ErrnoException): void => {
    if (error.code === 'EPIPE') {
      if (!broken) {
        broken = true;
        source.interrupt('EPIPE');
      }
      return;
    }
    writeError ??= { stream, code: String(error.code ?? error.message) };
  };
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  process.stdout.on('error', onError('stdout'));
  process.stderr.on('error', onError('stderr'));
  function detach(): void {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }

  const wrote = { stdout: false, stderr: false };
  const write = (stream: Stream) => (text: string): void => {
    if (broken || (writeError && writeError.stream === stream)) return;
    wrote[stream] = true;
    try {
      process[stream].write(text);
    } catch (error) {
      onError(stream)(error as NodeJS.ErrnoException);
    }
  };
  const interrupts: CliInterrupts = {
    take: () => {
      taken = true;
      return source.signal;
    },
    get first(): InterruptCause | undefined {
      return source.received[0];
    },
  };
  let code = await run(argv, {
    stdout: write('stdout'),
    stderr: write('stderr'),
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stderr.isTTY),
    interrupts,
  });
  // NOTE: a command that failed part-way may leave a binary running (a probe beside a failed `state pull`): never
  // exit under it, or it dies on the closed pipe before releasing its lock.
  await source.idle();
  // NOTE: only streams written to: an empty write to a pipe nobody reads fails with EPIPE too, and nothing was cut.
  await Promise.all((['stdout', 'stderr'] as const).filter((s) => wrote[s]).map((s) => flushed(process[s])));
  detach();
  const first = source.received[0];
  if (first !== undefined) {
    if (first !== 'EPIPE' && !broken) write('stderr')(`velocity: interrupted (${first})\n`);
    code = InterruptSource.exitCode(first);
  } else if (writeError) {
    write('stderr')(`velocity: error[OUTPUT_WRITE]: cannot write to ${writeError.stream}: ${writeError.code}\n`);
    if (code === 0) code = 1;
  }
  // NOTE: the 'error' listeners stay: an EPIPE reported after this point must not become an unhandled 'error' event.
  return code;
}
