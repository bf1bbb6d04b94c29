// Typed errors of change detection: a ledger file that is not ours, a git command that failed. Tests match on `code`, never on the message.

import { VelocityError } from '../errors.js';

/** The ledger file exists but is not a velocity ledger (corrupt JSON, other format version). */
export class LedgerFormatError extends VelocityError {
  readonly path: string;
  constructor(path: string, detail: string) {
    super(
      'LEDGER_INVALID',
      `ledger ${path} is unreadable: ${detail} (to start a new ledger, delete the file or run \`velocity ledger record --force\`; every lineage in it is then recorded afresh)`,
    );
    this.path = path;
  }
}

/** `git` failed (not a repository, unknown ref) while computing `--changed-since`. */
export class GitRefError extends VelocityError {
  readonly ref: string;
  /** What git printed on stderr ('' when nothing), lines joined with '; '. */
  readonly gitSaid: string;
  constructor(ref: string, detail: string, gitSaid = '') {
    super('GIT_REF', `cannot compare with git ref ${JSON.stringify(ref)}: ${detail}`);
    this.ref = ref;
    this.gitSaid = gitSaid;
  }
}
