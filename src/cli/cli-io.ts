// What a CLI command may touch of the outside world, injected so tests run commands in-process with no patching.

import type { InterruptCause } from '../tf/interrupt-source.js';

/** SIGINT/SIGTERM and a closed output pipe, for commands that run a child binary (see `CliIo.interrupts`). */
export interface CliInterrupts {
  /**
   * Takes over SIGINT and SIGTERM for the rest of the run and returns the signal to hand to runBinary (or to
   * velocityPlan's `signal`): each interrupt is then forwarded to the running binary, velocity waits for it, refuses
   * to start another, and exits 130 (SIGINT), 143 (SIGTERM) or 141 (EPIPE). A command that calls this promises to
   * return soon after an interrupt. Without the call a signal ends velocity at once, as with no handler at all.
   */
  take(): AbortSignal;
  /** The first interrupt so far, if any. */
  readonly first: InterruptCause | undefined;
}

export interface CliIo {
  /** Never throws; after the reader of a pipe went away (EPIPE) the text is dropped. */
  stdout(text: string): void;
  stderr(text: string): void;
  /** Read only when a command is told to read `-`. */
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stderr is a terminal: progress bars and colour are allowed. */
  isTTY: boolean;
  /** Present when running as the real process (bin/velocity.js); tests in-process usually leave it out. */
  interrupts?: CliInterrupts;
}

/** A command: parsed arguments in, exit code out. It throws VelocityError for user and usage errors. */
export type Command = (args: readonly string[], io: CliIo) => Promise<number>;
