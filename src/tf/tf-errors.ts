// Errors raised while finding or running the tofu/terraform binary. Each has a stable `code`; the CLI prints
// `error[CODE]: message` and the message always says what to do next.

import { VelocityError } from '../errors.js';
import type { InterruptCause } from './interrupt-source.js';

/** Neither `tofu` nor `terraform` was found (or the binary named by --binary / VELOCITY_TF_BINARY is missing). */
export class BinaryNotFoundError extends VelocityError {
  /** Every place that was looked at, in order. */
  readonly searched: readonly string[];
  constructor(message: string, searched: readonly string[]) {
    super('TF_BINARY_NOT_FOUND', message);
    this.searched = searched;
  }
}

/** The binary ran and exited non-zero (only raised when the caller asked for it: a plan's exit code is data). */
export class BinaryExitError extends VelocityError {
  readonly command: readonly string[];
  /** The binary's own exit code (or null when killed by a signal). */
  readonly binaryExitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  constructor(command: readonly string[], result: { exitCode: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }) {
    const how = result.exitCode === null ? `was killed by ${result.signal ?? 'a signal'}` : `exited with code ${result.exitCode}`;
    const tail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-8).join('\n');
    super('TF_EXIT_NONZERO', `\`${command.join(' ')}\` ${how}${tail ? `:\n${tail}` : ''}`);
    this.command = command;
    this.binaryExitCode = result.exitCode;
    this.signal = result.signal;
    this.stdout = result.stdout;
    this.stderr = result.stderr;
  }
}

/** The binary did not finish within the timeout, or the caller aborted it; the process was killed. */
export class BinaryAbortedError extends VelocityError {
  readonly command: readonly string[];
  readonly reason: 'timeout' | 'aborted';
  constructor(command: readonly string[], reason: 'timeout' | 'aborted', timeoutMs?: number) {
    super(
      reason === 'timeout' ? 'TF_TIMEOUT' : 'TF_ABORTED',
      reason === 'timeout'
        ? `\`${command.join(' ')}\` did not finish within ${timeoutMs ?? '?'} ms and was stopped`
        : `\`${command.join(' ')}\` was aborted`,
    );
    this.command = command;
    this.reason = reason;
  }
}

/** velocity was interrupted (Ctrl-C, SIGTERM, its output closed) before this binary run could start: it was not run. */
export class BinaryInterruptedError extends VelocityError {
  readonly command: readonly string[];
  /** The first interrupt velocity received. */
  readonly interrupt: InterruptCause;
  constructor(command: readonly string[], interrupt: InterruptCause) {
    super('TF_INTERRUPTED', `\`${command.join(' ')}\` was not started: velocity was interrupted (${interrupt})`);
    this.command = command;
    this.interrupt = interrupt;
  }
}

/** The binary's output was not what velocity expects (e.g. `show -json` that is not a plan). */
export class BinaryOutputError extends VelocityError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TF_OUTPUT_UNEXPECTED', message, options);
  }
}
