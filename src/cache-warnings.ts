// Optional on-disk caches (the snapshot cache, the parse cache) that cannot be written are skipped, never fatal: they
// report it here and go on. Guarantees: with no collector the report is dropped; a collector hears each cache once.

import { AsyncLocalStorage } from 'node:async_hooks';

/** A cache that was not used: which, the path that failed, and the error code (EACCES, EROFS, ENOTDIR...). */
export interface CacheSkipped {
  readonly cache: 'parse cache' | 'snapshot cache';
  readonly path: string;
  readonly code: string;
}

interface Collector {
  readonly sink: (skipped: CacheSkipped) => void;
  readonly seen: Set<string>;
}

// NOTE: async context, not a module variable: in-process callers (tests) may run several commands at once.
const collectors = new AsyncLocalStorage<Collector>();

/** Reports that `cache` was skipped because writing `path` failed with `error`. O(1). */
export function warnCacheSkipped(cache: CacheSkipped['cache'], path: string, error: unknown): void {
  const collector = collectors.getStore();
  if (!collector || collector.seen.has(cache)) return;
  collector.seen.add(cache);
  const code = error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : String(error);
  collector.sink({ cache, path, code });
}

/** Runs `fn`; every cache skipped inside it (across awaits) is passed to `sink`, once per cache. */
export function collectCacheWarnings<T>(sink: (skipped: CacheSkipped) => void, fn: () => Promise<T>): Promise<T> {
  return collectors.run({ sink, seen: new Set() }, fn);
}
