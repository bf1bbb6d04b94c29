// Typed errors of the plan operation. Callers and tests match on `code`, never on the message.
// Guarantees: each is a user error (exit 1) with a message that says what to check.

import { VelocityError } from '../errors.js';
import type { PlanResult } from './prepared-plan.js';

/**
 * The state velocity was given (`--state FILE`) is not this workspace's: another lineage than the workspace's own
 * state, or the change names instances (not creates) that the given state lacks. Planning from it would report a
 * scope and savings of another workspace ("5/3 resources (-66.7% savings)").
 */
export class StateMismatchError extends VelocityError {
  readonly stateFile: string;
  constructor(stateFile: string, detail: string) {
    super('STATE_MISMATCH', `${stateFile} does not match this workspace: ${detail}; pass the workspace's own state (or omit --state)`);
    this.stateFile = stateFile;
  }
}

/**
 * The `--report FILE` of a finished plan could not be written (no such directory, a directory in the way, no
 * permission, disk full). `OUTPUT_WRITE`, exit 1 whatever the plan's own exit code (a 0 or -detailed-exitcode's 2
 * would tell CI the plan succeeded while the report it reads is missing or stale); the plan's exit code is in the
 * message and, with the whole result, on the error.
 */
export class ReportWriteError extends VelocityError {
  readonly path: string;
  /** The plan that ran: its exit code is `result.exitCode`. */
  readonly result: PlanResult;
  constructor(path: string, cause: unknown, result: PlanResult) {
    const reason = cause instanceof Error && 'code' in cause ? String((cause as NodeJS.ErrnoException).code) : String(cause);
    super('OUTPUT_WRITE', `cannot write the report ${path}: ${reason}; the plan itself ran and exited ${result.exitCode}`, { cause });
    this.path = path;
    this.result = result;
  }
}
