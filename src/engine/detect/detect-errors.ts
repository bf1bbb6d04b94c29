// Typed errors of configuration change detection: a configuration the real HCL parser rejects, a ledger
// file that is not ours, a git command that failed. Tests match on `code`, never on the message.

import { VelocityError } from '../../errors.js';

/** HashiCorp's HCL parser rejected a `.tf`, `.tf.json` or `.tfvars` file; `file` is relative to the working dir. */
export class ConfigParseError extends VelocityError {
  readonly file: string;
  constructor(file: string, detail: string) {
    super('CONFIG_PARSE', `cannot parse ${file}: ${detail}`);
    this.file = file;
  }
}

/** The ledger file exists but is not a velocity ledger (corrupt JSON, other format version). */
export class LedgerFormatError extends VelocityError {
  readonly path: string;
  constructor(path: string, detail: string) {
    super('LEDGER_INVALID', `ledger ${path} is unreadable: ${detail}`);
    this.path = path;
  }
}

/** `git` failed (not a repository, unknown ref) while computing `--changed-since`. */
export class GitRefError extends VelocityError {
  readonly ref: string;
  constructor(ref: string, detail: string) {
    super('GIT_REF', `cannot compare with git ref ${JSON.stringify(ref)}: ${detail}`);
    this.ref = ref;
  }
}

/** A `-var NAME=VALUE` that has no `=`, or a `-var-file` that cannot be read. */
export class VariableInputError extends VelocityError {
  constructor(detail: string) {
    super('VAR_INVALID', detail);
  }
}
