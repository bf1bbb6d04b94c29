// Every refusal of the state backend: a typed error with a stable `code` and the HTTP status it is answered with.
// The server answers them as a JSON body `{"code": ..., "message": ...}`, plus the holder's LockInfo fields for lock
// refusals and the error's `detail` fields (e.g. `addresses` of SUBGRAPH_NOT_HELD and STATE_MOVED). On the client
// side, ServeClientError: what a server answered or that it could not be reached.

import { VelocityError } from '../errors.js';
import type { LockInfo } from '../lock/lock-info.js';

/** Stable codes of ServeError. */
export type ServeErrorCode =
  | 'STATE_NOT_JSON'
  | 'STATE_TRUNCATED'
  | 'STATE_CHECKSUM_MISMATCH'
  | 'STATE_NOT_A_STATE'
  | 'STATE_VERSION_UNSUPPORTED'
  | 'STATE_DUPLICATE_INSTANCE'
  | 'STATE_LINEAGE_MISMATCH'
  | 'STATE_SERIAL_STALE'
  | 'STATE_TOO_LARGE'
  | 'STATE_NOT_FOUND'
  | 'STATE_EXISTS'
  | 'STATE_BAD_LOGIC_ID'
  | 'STATE_BAD_GUID'
  | 'VERSION_NOT_FOUND'
  | 'STATE_LOCKED'
  | 'LOCK_ID_MISMATCH'
  | 'LOCK_INFO_INVALID'
  | 'LOCK_REQUEST_INVALID'
  | 'LOCK_NOT_HELD'
  | 'LOCK_LOST'
  | 'SUBGRAPH_REQUEST_INVALID'
  | 'SUBGRAPH_NOT_HELD'
  | 'STATE_MOVED'
  | 'AUTH_REQUIRED'
  | 'METHOD_NOT_ALLOWED'
  | 'NOT_FOUND'
  | 'BAD_REQUEST'
  | 'DEPS_CYCLE'
  | 'DEPS_EDGE_EXISTS'
  | 'DEPS_EDGE_NOT_FOUND'
  | 'DEPS_INPUT';

/** A request the backend refuses; nothing was stored. */
export class ServeError extends VelocityError {
  readonly status: number;
  /** Who holds the lock, for STATE_LOCKED and LOCK_ID_MISMATCH. */
  readonly holder: LockInfo | undefined;
  /** More fields of the answer's body: `holders`/`overlapping` (STATE_LOCKED), `lost` (LOCK_LOST), `addresses` (SUBGRAPH_NOT_HELD, STATE_MOVED), ... */
  readonly detail: Readonly<Record<string, unknown>>;
  constructor(code: ServeErrorCode, status: number, message: string, options?: { holder?: LockInfo; detail?: Record<string, unknown>; cause?: unknown }) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.holder = options?.holder;
    this.detail = options?.detail ?? {};
  }
}

/** 405 for `method`, with the methods allowed (the server answers them in an `allow` header). */
export function notAllowed(method: string, allowed: readonly string[]): ServeError & { allow: string } {
  const e = new ServeError('METHOD_NOT_ALLOWED', 405, `${method} is not allowed here; allowed: ${allowed.join(', ')}`) as ServeError & { allow: string };
  e.allow = allowed.join(', ');
  return e;
}

/** The server refused (its code), or could not be reached (SERVE_UNREACHABLE, SERVE_BAD_URL, SERVE_BAD_ANSWER). */
export class ServeClientError extends VelocityError {
  readonly status: number | undefined;
  constructor(code: string, message: string, status?: number, options?: { cause?: unknown }) {
    super(code, message, options);
    this.status = status;
  }
}
