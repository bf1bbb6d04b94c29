// The refresh history (`.velocity/refresh-history.json`): per state lineage, each instance's last refresh (serial,
// ISO time), stored once in the run that last refreshed it, front-coded (`<chars shared>:<rest>`, ~10 bytes each).
// Guarantees: writes are atomic (temp file + rename); an unreadable file is a typed error, never a silent reset.

import { join } from 'node:path';
import { readTextIfPresent, writeJsonAtomic } from '../json-file.js';
import { RefreshHistoryFormatError, RefreshHistoryWriteError } from './refresh-history-errors.js';

/** Bumped when the file's layout changes: a file of another version is read as empty and rewritten. */
export const REFRESH_HISTORY_VERSION = 1;

/** One recorded plan run: the instances whose latest refresh it was. */
export interface RefreshRun {
  /** The state's serial at that run. */
  readonly serial: number;
  /** ISO time of recording. */
  readonly at: string;
  /** Sorted, unique; an address is in exactly one run of a lineage (its latest). */
  readonly addresses: readonly string[];
}

/** The history of one lineage: runs oldest first (recording order), none empty. */
export interface LineageHistory {
  readonly runs: readonly RefreshRun[];
}

/** A run as stored: `front` is its sorted addresses front-coded (see frontCode). */
interface StoredRun {
  readonly serial: number;
  readonly at: string;
  readonly front: readonly string[];
}

interface HistoryFile {
  readonly format: 'velocity-refresh-history';
  readonly version: number;
  readonly lineages: Record<string, { readonly runs: readonly StoredRun[] }>;
}

/**
 * Sorted addresses as `<n>:<suffix>`, n = characters shared with the previous one. O(total length).
 * NOTE: instance addresses sorted share long prefixes (`module.customer["c01"].sim_resource.device["d0`), so this
 * stores about 10 bytes per instance instead of the ~60 of the quoted, escaped address: 11 MB, not 60, at 1,000,000.
 */
function frontCode(sorted: readonly string[]): string[] {
  const out: string[] = new Array(sorted.length);
  let prev = '';
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i] as string;
    const max = Math.min(prev.length, a.length, 9999);
    let n = 0;
    while (n < max && prev.charCodeAt(n) === a.charCodeAt(n)) n++;
    out[i] = `${n}:${a.slice(n)}`;
    prev = a;
  }
  return out;
}

/** Inverse of frontCode; undefined when an entry is malformed. O(total length). */
function frontDecode(front: readonly unknown[]): string[] | undefined {
  const out: string[] = new Array(front.length);
  let prev = '';
  for (let i = 0; i < front.length; i++) {
    const e = front[i];
    if (typeof e !== 'string') return undefined;
    const colon = e.indexOf(':');
    const n = colon > 0 && colon <= 4 ? Number(e.slice(0, colon)) : NaN;
    if (!Number.isInteger(n) || n > prev.length) return undefined;
    const a = prev.slice(0, n) + e.slice(colon + 1);
    if (i > 0 && !(prev < a)) return undefined; // sorted, unique: what selectDriftBudget's merge relies on
    out[i] = a;
    prev = a;
  }
  return out;
}

/** Default location for a working directory (beside the ledger). */
export function defaultRefreshHistoryPath(workingDir: string): string {
  return join(workingDir, '.velocity', 'refresh-history.json');
}

const isStoredRun = (r: unknown): r is StoredRun =>
  typeof r === 'object' && r !== null && typeof (r as StoredRun).serial === 'number' && typeof (r as StoredRun).at === 'string' && Array.isArray((r as StoredRun).front);

/** The whole file, validated; undefined when there is none. O(file). */
async function readHistoryFile(path: string): Promise<HistoryFile | undefined> {
  const text = await readTextIfPresent(path).catch((error: unknown) => {
    throw new RefreshHistoryFormatError(path, String((error as NodeJS.ErrnoException).code ?? error));
  });
  if (text === undefined) return undefined;
  let doc: Partial<HistoryFile>;
  try {
    doc = JSON.parse(text) as Partial<HistoryFile>;
  } catch {
    throw new RefreshHistoryFormatError(path, 'not JSON');
  }
  if (doc?.format !== 'velocity-refresh-history' || typeof doc.lineages !== 'object' || doc.lineages === null || Array.isArray(doc.lineages))
    throw new RefreshHistoryFormatError(path, 'not a velocity refresh history');
  if (doc.version !== REFRESH_HISTORY_VERSION) return { format: 'velocity-refresh-history', version: REFRESH_HISTORY_VERSION, lineages: {} };
  for (const [lineage, h] of Object.entries(doc.lineages)) {
    if (typeof h !== 'object' || h === null || !Array.isArray(h.runs) || !h.runs.every(isStoredRun))
      throw new RefreshHistoryFormatError(path, `lineage ${lineage} has a malformed run list`);
  }
  return doc as HistoryFile;
}

/** The decoded history of one lineage of a read file. O(its size). @throws RefreshHistoryFormatError */
function decodeLineage(path: string, lineage: string, stored: { readonly runs: readonly StoredRun[] } | undefined): LineageHistory | undefined {
  if (stored === undefined) return undefined;
  return {
    runs: stored.runs.map((r) => {
      const addresses = frontDecode(r.front);
      if (addresses === undefined) throw new RefreshHistoryFormatError(path, `lineage ${lineage} has a malformed address list`);
      return { serial: r.serial, at: r.at, addresses };
    }),
  };
}

/**
 * The history recorded for `lineage`, or undefined (no file, or nothing for that lineage). O(file).
 * @throws RefreshHistoryFormatError when the file exists but is not a refresh history
 */
export async function readRefreshHistory(path: string, lineage: string): Promise<LineageHistory | undefined> {
  return decodeLineage(path, lineage, (await readHistoryFile(path))?.lineages[lineage]);
}

/**
 * `history` with `addresses` refreshed by a new, latest run: they leave the runs that held them, runs left empty are
 * dropped. Pure. O(H + R log R) for H recorded entries and R new addresses.
 */
export function addRefreshes(history: LineageHistory | undefined, run: { readonly serial: number; readonly at: string; readonly addresses: readonly string[] }): LineageHistory {
  const fresh = [...new Set(run.addresses)].sort();
  if (fresh.length === 0) return history ?? { runs: [] };
  const taken = new Set(fresh);
  const runs: RefreshRun[] = [];
  for (const r of history?.runs ?? []) {
    const left = r.addresses.filter((a) => !taken.has(a));
    if (left.length === r.addresses.length) runs.push(r);
    else if (left.length > 0) runs.push({ serial: r.serial, at: r.at, addresses: left });
  }
  runs.push({ serial: run.serial, at: run.at, addresses: fresh });
  return { runs };
}

export interface RecordRefreshesOptions {
  /** The history file (see defaultRefreshHistoryPath). */
  readonly path: string;
  /** The state's lineage; other lineages in the file are kept as they are. */
  readonly lineage: string;
  /** The state's serial at the run. */
  readonly serial: number;
  /** Instance addresses the binary refreshed (or read), any order. */
  readonly addresses: readonly string[];
  /** When the run happened. @default now */
  readonly at?: Date | string;
}

/**
 * Records one run's refreshes (read, addRefreshes, atomic rewrite). Nothing is written when `addresses` is empty.
 * Cost: O(file) read and write. NOTE: two concurrent recordings can lose one of them (last rename wins); a lost record
 * only makes instances look older than they are, so a budget refreshes them sooner, never later.
 * @throws RefreshHistoryFormatError (the file exists but is not a history), RefreshHistoryWriteError
 */
export async function recordRefreshes(options: RecordRefreshesOptions): Promise<void> {
  if (options.addresses.length === 0) return;
  const file = (await readHistoryFile(options.path)) ?? { format: 'velocity-refresh-history' as const, version: REFRESH_HISTORY_VERSION, lineages: {} };
  const at = options.at === undefined ? new Date().toISOString() : typeof options.at === 'string' ? options.at : options.at.toISOString();
  const updated = addRefreshes(decodeLineage(options.path, options.lineage, file.lineages[options.lineage]), { serial: options.serial, at, addresses: options.addresses });
  const stored = { runs: updated.runs.map((r) => ({ serial: r.serial, at: r.at, front: frontCode(r.addresses) })) };
  // NOTE: other lineages are copied as read (still front-coded): only the recorded one is decoded.
  const lineages: Record<string, { readonly runs: readonly StoredRun[] }> = {};
  const all = { ...file.lineages, [options.lineage]: stored };
  for (const k of Object.keys(all).sort()) lineages[k] = all[k] as { readonly runs: readonly StoredRun[] };
  // NOTE: one line, no indentation: at 1,000,000 entries whitespace alone would add megabytes.
  await writeJsonAtomic(options.path, { format: 'velocity-refresh-history', version: REFRESH_HISTORY_VERSION, lineages }).catch((error: unknown) => {
    throw new RefreshHistoryWriteError(options.path, error);
  });
}
