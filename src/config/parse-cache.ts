// Remembers file summaries by content digest, in memory and (optionally) in one JSON file, so a detection
// re-parses only the files whose text changed since the last run. Entries unused by a run are dropped on save.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileSummary } from './summarize-config-file.js';

/** A cached variable-definitions file: variable name → value digest. */
export interface VarsSummary {
  readonly vars: Readonly<Record<string, string>>;
  /** For values that are objects (or lists of strings): element key → digest of the element. */
  readonly keys?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

type Entry = FileSummary | VarsSummary;

/** Bumped whenever the summary format or extraction changes: old caches are ignored, never misread. */
export const SUMMARY_VERSION = 9;

export class ParseCache {
  private readonly entries = new Map<string, Entry>();
  private readonly used = new Set<string>();
  private dirty = false;

  /** @param path JSON file backing the cache; undefined keeps it in memory only. */
  constructor(readonly path?: string) {}

  /** Loads the backing file if there is one; a missing or foreign file is an empty cache. O(file size). */
  async load(): Promise<this> {
    if (this.path === undefined) return this;
    try {
      const doc = JSON.parse(await readFile(this.path, 'utf8')) as { version?: unknown; files?: Record<string, Entry> };
      if (doc.version === SUMMARY_VERSION && doc.files !== undefined)
        for (const [k, v] of Object.entries(doc.files)) this.entries.set(k, v);
    } catch {
      // NOTE: a cache is an optimization: unreadable means empty, never an error.
    }
    return this;
  }

  get<T extends Entry>(key: string): T | undefined {
    const hit = this.entries.get(key) as T | undefined;
    if (hit !== undefined) this.used.add(key);
    return hit;
  }

  set(key: string, summary: Entry): void {
    this.entries.set(key, summary);
    this.used.add(key);
    this.dirty = true;
  }

  /** Writes the entries used since load (atomically: temp file + rename) when anything changed. */
  async save(): Promise<void> {
    if (this.path === undefined) return;
    if (!this.dirty && this.used.size === this.entries.size) return;
    const files: Record<string, Entry> = {};
    for (const k of [...this.used].sort()) files[k] = this.entries.get(k) as Entry;
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify({ version: SUMMARY_VERSION, files }));
    await rename(tmp, this.path);
    this.dirty = false;
  }
}
