// The typed errors of the lock layer. Every one carries a stable `code`; conflicts carry the holder's LockInfo and
// the overlapping addresses so a caller can say who holds what without parsing a message.

import { VelocityError } from '../errors.js';
import type { LockInfo } from './lock-info.js';

function describeHolder(h: LockInfo): string {
  const parts = [`ID ${h.ID || '(unknown)'}`];
  if (h.Who) parts.push(`by ${h.Who}`);
  if (h.Operation) parts.push(`for ${h.Operation}`);
  if (h.Created) parts.push(`since ${h.Created}`);
  if (h.Version) parts.push(`(${h.Version})`);
  return parts.join(' ');
}

/** Someone else holds a lock on (some of) the requested resources; nothing was taken. */
export class LockConflictError extends VelocityError {
  /** The holder of (the first of) the overlapping resources. */
  readonly holder: LockInfo;
  /** Requested addresses someone else holds, sorted. For a global lock: every requested address. */
  readonly overlapping: readonly string[];
  /** Every distinct holder seen, when more than one lock overlaps. */
  readonly holders: readonly LockInfo[];
  constructor(holder: LockInfo, overlapping: readonly string[], options?: { holders?: readonly LockInfo[]; detail?: string; cause?: unknown }) {
    const shown = overlapping.slice(0, 5).join(', ') + (overlapping.length > 5 ? `, ... (${overlapping.length} in all)` : '');
    super(
      'LOCK_CONFLICT',
      `resources already locked: ${shown || '(whole state)'}; held by lock ${describeHolder(holder)}` +
        (options?.detail ? ` (${options.detail})` : ''),
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.holder = holder;
    this.overlapping = overlapping;
    this.holders = options?.holders ?? [holder];
  }
}

/** `waitMs` ran out while the resources stayed locked. `lastConflict` says by whom. */
export class LockTimeoutError extends VelocityError {
  readonly waitedMs: number;
  readonly lastConflict: LockConflictError;
  constructor(waitedMs: number, lastConflict: LockConflictError) {
    super('LOCK_TIMEOUT', `gave up after waiting ${waitedMs} ms: ${lastConflict.message}`, { cause: lastConflict });
    this.waitedMs = waitedMs;
    this.lastConflict = lastConflict;
  }
}

/** The caller's AbortSignal fired while acquiring; nothing was taken. */
export class LockAbortedError extends VelocityError {
  constructor(reason?: unknown) {
    super('LOCK_ABORTED', 'lock acquisition aborted', reason === undefined ? undefined : { cause: reason });
  }
}

/** The lock id names no lock this backend holds (already released, expired and taken over, or never existed). */
export class LockNotHeldError extends VelocityError {
  readonly id: string;
  constructor(id: string, detail = 'no such lock is held') {
    super('LOCK_NOT_HELD', `lock ${id}: ${detail}`);
    this.id = id;
  }
}

/** A lease ran out and another holder took (some of) the resources: the operation is no longer protected. */
export class LockLostError extends VelocityError {
  readonly id: string;
  /** Addresses this lock no longer holds, sorted. */
  readonly lost: readonly string[];
  constructor(id: string, lost: readonly string[]) {
    super('LOCK_LOST', `lock ${id} lost its lease on ${lost.length} resource(s): ${lost.slice(0, 5).join(', ')}`);
    this.id = id;
    this.lost = lost;
  }
}

/** Not a lock id: velocity's ids are UUIDs. */
export class LockIdInvalidError extends VelocityError {
  readonly input: string;
  constructor(input: string) {
    super('LOCK_ID_INVALID', `${JSON.stringify(input)} is not a lock id (expected a UUID such as 3f2b...-...)`);
    this.input = input;
  }
}

/** The request itself is unusable: no resources, an empty or non-string address, a bad lease or wait value. */
export class LockRequestError extends VelocityError {
  constructor(code: 'LOCK_NO_RESOURCES' | 'LOCK_BAD_RESOURCE' | 'LOCK_BAD_OPTION', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** The lock backend (database, HTTP server, file system) could not be reached or failed mid-operation. */
export class LockBackendError extends VelocityError {
  readonly backend: string;
  constructor(backend: string, message: string, options?: { cause?: unknown; code?: 'LOCK_BACKEND_UNAVAILABLE' | 'LOCK_BACKEND_PROTOCOL' }) {
    super(options?.code ?? 'LOCK_BACKEND_UNAVAILABLE', `${backend} lock backend: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.backend = backend;
  }
}
