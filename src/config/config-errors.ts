// Typed errors of reading a configuration: a file the real HCL parser rejects, a variable input that cannot be
// used. Tests match on `code`, never on the message.

import { VelocityError } from '../errors.js';

/** HashiCorp's HCL parser rejected a `.tf`, `.tf.json` or `.tfvars` file; `file` is relative to the working dir. */
export class ConfigParseError extends VelocityError {
  readonly file: string;
  constructor(file: string, detail: string) {
    super('CONFIG_PARSE', `cannot parse ${file}: ${detail}`);
    this.file = file;
  }
}

/** A `-var NAME=VALUE` that has no `=`, or a `-var-file` that cannot be read. */
export class VariableInputError extends VelocityError {
  constructor(detail: string) {
    super('VAR_INVALID', detail);
  }
}
