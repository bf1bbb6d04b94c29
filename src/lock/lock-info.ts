// LockInfo: who holds a lock, in Terraform's own field names and JSON shape (statemgr.LockInfo), so a holder's info
// round-trips through Terraform's local lock file and HTTP backend unchanged. `newLockInfo` is the ONE constructor:
// it fills ID, Who, Version and Created the way OpenTofu's NewLockInfo does.

import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { hostname, userInfo } from 'node:os';

/** Terraform's lock metadata, field for field (the JSON keys are these names). */
export interface LockInfo {
  /** Unique lock id (a UUID for locks velocity creates). */
  readonly ID: string;
  /** What the holder is doing: `OperationTypePlan`, `velocity lock`, ... */
  readonly Operation: string;
  /** Free text from the holder. */
  readonly Info: string;
  /** `user@host` of the holder. */
  readonly Who: string;
  /** Version of the tool holding the lock. */
  readonly Version: string;
  /** When the lock was taken, RFC 3339 UTC. */
  readonly Created: string;
  /** What is locked: the state path, or a backend-specific key. */
  readonly Path: string;
}

const require = createRequire(import.meta.url);
// NOTE: src/lock and dist/lock are both two levels below the package root.
const VERSION = (require('../../package.json') as { version: string }).version;

function whoAmI(): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown';
  }
  return `${user}@${hostname()}`;
}

/** Options for `newLockInfo`; everything is optional. */
export interface NewLockInfoOptions {
  /** @default 'OperationTypeInvalid' (what Terraform writes when nothing better is known) */
  readonly operation?: string;
  /** @default '' */
  readonly info?: string;
  /** @default '' */
  readonly path?: string;
  /** Override the generated UUID (tests, or adopting an id a backend handed out). */
  readonly id?: string;
  /** @default `user@hostname` of this process */
  readonly who?: string;
  /** @default now */
  readonly created?: Date;
}

/** Builds a LockInfo: fresh UUID, `user@host`, velocity's version, creation time now. O(1). */
export function newLockInfo(options: NewLockInfoOptions = {}): LockInfo {
  return {
    ID: options.id ?? randomUUID(),
    Operation: options.operation ?? 'OperationTypeInvalid',
    Info: options.info ?? '',
    Who: options.who ?? whoAmI(),
    Version: `velocity ${VERSION}`,
    Created: (options.created ?? new Date()).toISOString(),
    Path: options.path ?? '',
  };
}

/** Reads a LockInfo written by Terraform or velocity; missing fields become ''. Never throws on shape. O(size). */
export function lockInfoFromJson(value: unknown): LockInfo {
  const o = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const s = (k: string): string => (typeof o[k] === 'string' ? (o[k] as string) : '');
  return { ID: s('ID'), Operation: s('Operation'), Info: s('Info'), Who: s('Who'), Version: s('Version'), Created: s('Created'), Path: s('Path') };
}
