// The ledger: block fingerprints recorded after a successful apply, keyed by the state's lineage and serial.
// One JSON file (default `<workingDir>/.velocity/ledger.json`) holds the latest entry of each lineage, so
// several Terraform workspaces sharing one configuration directory each keep their own. Writes are atomic.

import { join } from 'node:path';
import { VelocityError } from '../errors.js';
import { readTextIfPresent, writeJsonAtomic } from '../json-file.js';
import { LedgerFormatError } from './detect-errors.js';

/** The ledger could not be written (read-only directory, a file where a directory is expected, no permission). */
export class LedgerWriteError extends VelocityError {
  readonly path: string;
  constructor(path: string, cause: unknown) {
    const code = cause instanceof Error && 'code' in cause ? String((cause as NodeJS.ErrnoException).code) : String(cause);
    super('LEDGER_UNWRITABLE', `cannot write the ledger ${path}: ${code}; pass --ledger PATH to keep it somewhere writable`, { cause });
    this.path = path;
  }
}

/** Bumped when fingerprints are computed differently: an entry of another version is never compared. */
export const LEDGER_VERSION = 3;

export interface LedgerEntry {
  readonly lineage: string;
  readonly serial: number;
  /** ISO time of recording. */
  readonly recordedAt: string;
  /** Configuration address of each resource/data block → fingerprint. */
  readonly blocks: Readonly<Record<string, string>>;
  /** Digests of what cannot be attributed to blocks (providers, backend, moved/import/... blocks, module sources). */
  readonly guards: Readonly<Record<string, string>>;
  /** Root output name → fingerprint. */
  readonly outputs: Readonly<Record<string, string>>;
  /** Narrowed `for_each` calls: call address → instance key → element digest. */
  readonly keys: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

interface LedgerFile {
  readonly format: 'velocity-ledger';
  readonly version: number;
  readonly entries: Record<string, LedgerEntry>;
}

/** Default ledger location for a working directory. */
export function defaultLedgerPath(workingDir: string): string {
  return join(workingDir, '.velocity', 'ledger.json');
}

async function readLedgerFile(path: string): Promise<LedgerFile | undefined> {
  const text = await readTextIfPresent(path).catch((error: unknown) => {
    throw new LedgerFormatError(path, String((error as NodeJS.ErrnoException).code ?? error));
  });
  if (text === undefined) return undefined;
  let doc: Partial<LedgerFile>;
  try {
    doc = JSON.parse(text) as Partial<LedgerFile>;
  } catch {
    throw new LedgerFormatError(path, 'not JSON');
  }
  if (doc?.format !== 'velocity-ledger' || typeof doc.entries !== 'object' || doc.entries === null)
    throw new LedgerFormatError(path, 'not a velocity ledger');
  // Another version: treated as empty (its fingerprints are not comparable), rewritten on the next record.
  if (doc.version !== LEDGER_VERSION) return { format: 'velocity-ledger', version: LEDGER_VERSION, entries: {} };
  return doc as LedgerFile;
}

/**
 * The entry recorded for `lineage`, whatever its serial (the caller compares serials), or undefined.
 * O(ledger size). @throws LedgerFormatError when the file exists but is not a ledger
 */
export async function readLedger(path: string, lineage: string): Promise<LedgerEntry | undefined> {
  const file = await readLedgerFile(path);
  return file?.entries[lineage];
}

/**
 * Stores `entry` as the latest of its lineage (other lineages are kept). O(ledger size).
 * @throws LedgerFormatError when the file exists but is not a ledger, unless `replaceUnreadable` (then it is replaced);
 *   LedgerWriteError when it cannot be written
 */
export async function writeLedger(path: string, entry: LedgerEntry, options: { readonly replaceUnreadable?: boolean } = {}): Promise<void> {
  let existing: LedgerFile | undefined;
  try {
    existing = await readLedgerFile(path);
  } catch (error) {
    if (!(options.replaceUnreadable === true && error instanceof LedgerFormatError)) throw error;
  }
  const file = existing ?? { format: 'velocity-ledger' as const, version: LEDGER_VERSION, entries: {} };
  const entries = { ...file.entries, [entry.lineage]: entry };
  const sorted: Record<string, LedgerEntry> = {};
  for (const k of Object.keys(entries).sort()) sorted[k] = entries[k] as LedgerEntry;
  await writeJsonAtomic(path, { format: 'velocity-ledger', version: LEDGER_VERSION, entries: sorted }).catch((error: unknown) => {
    throw new LedgerWriteError(path, error);
  });
}
