// Typed errors of the plan operation. Callers and tests match on `code`, never on the message.
// Guarantees: each is a user error (exit 1) with a message that says what to check.

import { VelocityError } from '../errors.js';

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
