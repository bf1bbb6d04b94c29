// Typed errors of the refresh history (.velocity/refresh-history.json): a file that is not ours, or that cannot be
// written. Tests match on `code`, never on the message.

import { VelocityError } from '../errors.js';

/** The refresh history exists but cannot be read as one (not JSON, another format, no permission, a directory). */
export class RefreshHistoryFormatError extends VelocityError {
  readonly path: string;
  constructor(path: string, detail: string) {
    super('REFRESH_HISTORY_INVALID', `refresh history ${path} is unreadable: ${detail} (delete it to start afresh: every instance then counts as never refreshed)`);
    this.path = path;
  }
}

/** The refresh history could not be written (read-only directory, a file where a directory is expected...). */
export class RefreshHistoryWriteError extends VelocityError {
  readonly path: string;
  constructor(path: string, cause: unknown) {
    const code = cause instanceof Error && 'code' in cause ? String((cause as NodeJS.ErrnoException).code) : String(cause);
    super('REFRESH_HISTORY_UNWRITABLE', `cannot write the refresh history ${path}: ${code}`, { cause });
    this.path = path;
  }
}
