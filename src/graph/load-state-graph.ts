// Loads a state file into a StateGraph through the snapshot cache: an unchanged state (same size, mtime and inode,
// or failing that the same SHA-256) is read from its snapshot; anything else is read from the state, hashed on the
// way, and snapshotted for next time. Guarantees: a snapshot is used only when its content hash names these exact
// bytes and it passes every integrity check; otherwise it is ignored and rebuilt, never trusted.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { DependencyCycleError, SourceReadError } from '../errors.js';
import type { LoadedState } from '../state/instance-record.js';
import { loadState } from '../state/load-state.js';
import { scanState } from '../state/scan-state.js';
import { buildIndex } from './build-index.js';
import { hashedFileChunks } from './hashed-file-chunks.js';
import { decodeIndexSnapshot, encodeIndexSnapshotParts } from './index-snapshot.js';
import { ResourceIndex } from './resource-index.js';
import { defaultCacheDir, SnapshotStore, type PathEntry } from './snapshot-store.js';
import { StateGraph } from './state-graph.js';

export interface LoadStateGraphOptions {
  /** Use and fill the snapshot cache. @default true (always off for `-` and byte sources) */
  readonly cache?: boolean;
  /** Cache directory. @default see defaultCacheDir ($VELOCITY_CACHE_DIR, $XDG_CACHE_HOME/velocity, ~/.cache/velocity) */
  readonly cacheDir?: string;
  /** Environment for the cache-dir defaults. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Bytes of the state read so far and the file size (0 when unknown); not called on a snapshot hit. */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
  readonly allowCycles?: boolean;
  /** Name for error messages. @default the path */
  readonly sourceName?: string;
  /** Stream read for `-`. @default process.stdin */
  readonly stdin?: NodeJS.ReadableStream;
  /**
   * Hash a changed file of the cached size before loading it (a touched copy then hits its snapshot). `false` opens
   * the state once: a caller holding Terraform's fcntl lock needs that, as closing any descriptor of the file drops
   * the lock. @default true
   */
  readonly hashFirst?: boolean;
  /** Turns the state's byte chunks into records (injectable for tests). @default the streaming loader */
  readonly parse?: (chunks: AsyncIterable<Uint8Array>, sourceName: string) => Promise<LoadedState>;
  /** States of at least this many bytes are read and hashed by a worker thread on a cold load. @default 64 MiB */
  readonly workerHashFromBytes?: number;
}

export interface LoadedStateGraph {
  readonly graph: StateGraph;
  /** Where the graph came from; `check` says how a snapshot was matched to the state. */
  readonly from: 'snapshot' | 'state';
  readonly check?: 'stat' | 'hash';
  /** SHA-256 of the state bytes (undefined for uncached sources). */
  readonly stateSha256?: string;
  /** Why a snapshot present for this state was not used or not written, when that happened. */
  readonly snapshotProblem?: string;
}

/**
 * From this size on, a cold load hashes in a worker thread. NOTE: below it the worker's start-up (~30 ms) costs
 * more than hashing on this thread saves.
 */
const WORKER_HASH_MIN_BYTES = 64 << 20;

/** The streaming scanner fed from our hashed chunks. */
async function defaultParse(chunks: AsyncIterable<Uint8Array>, sourceName: string): Promise<LoadedState> {
  return scanState(chunks, { sourceName });
}

/** Yields the file's chunks while hashing them and reporting progress; read failures become SourceReadError. */
async function* hashedChunks(path: string, hash: ReturnType<typeof createHash> | null, total: number, onProgress?: (n: number, t: number) => void): AsyncIterable<Uint8Array> {
  let read = 0;
  const stream = createReadStream(path, { highWaterMark: 4 << 20 });
  const chunks = stream[Symbol.asyncIterator]();
  // NOTE: 4 MiB reads: fewer promise hops per GB; the scanner copes with any chunk size.
  for (;;) {
    let next: IteratorResult<unknown>;
    try {
      next = await chunks.next();
    } catch (error) {
      throw new SourceReadError(path, error);
    }
    if (next.done) return;
    const bytes = next.value as Buffer;
    hash?.update(bytes);
    read += bytes.length;
    onProgress?.(read, total);
    yield bytes;
  }
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of hashedChunks(path, hash, 0)) void chunk;
  return hash.digest('hex');
}

interface FileStat {
  size: number;
  mtimeNs: string;
  ino: string;
}

async function statOf(path: string): Promise<FileStat> {
  try {
    const s = await stat(path, { bigint: true });
    return { size: Number(s.size), mtimeNs: s.mtimeNs.toString(), ino: s.ino.toString() };
  } catch (error) {
    throw new SourceReadError(path, error);
  }
}

const sameStat = (e: PathEntry, s: FileStat): boolean => e.size === s.size && e.mtimeNs === s.mtimeNs && e.ino === s.ino;

/**
 * Loads `source` (a path, `-` for stdin, bytes, or a stream of byte chunks such as `state pull`'s stdout) into a
 * StateGraph, using the snapshot cache for paths.
 * Cost: a snapshot hit is O(snapshot bytes); a miss is O(state bytes) plus writing the snapshot.
 * @throws SourceReadError, StateParseError, UnsupportedStateVersionError, DependencyCycleError
 */
export async function loadStateGraph(source: string | Uint8Array | AsyncIterable<Uint8Array>, options: LoadStateGraphOptions = {}): Promise<LoadedStateGraph> {
  const parse = options.parse ?? defaultParse;
  const graphOptions = { allowCycles: options.allowCycles ?? false };
  if (typeof source !== 'string' && !(source instanceof Uint8Array)) return loadStreamedGraph(source, options);
  if (typeof source !== 'string' || source === '-') {
    const state =
      typeof source === 'string'
        ? await loadState('-', { ...(options.stdin ? { stdin: options.stdin } : {}), sourceName: options.sourceName ?? 'stdin' })
        : await loadState(source, { sourceName: options.sourceName ?? 'state' });
    return { graph: StateGraph.fromState(state, graphOptions), from: 'state' };
  }
  const path = source;
  const sourceName = options.sourceName ?? path;
  const before = await statOf(path);
  if (options.cache === false) {
    const state = await parse(hashedChunks(path, null, before.size, options.onProgress), sourceName);
    return { graph: StateGraph.fromState(state, graphOptions), from: 'state' };
  }
  const store = new SnapshotStore(defaultCacheDir(options.env ?? process.env, path, options.cacheDir));
  const entry = await store.readPathEntry(path);
  let problem: string | undefined;

  const tryHit = async (sha: string, check: 'stat' | 'hash'): Promise<LoadedStateGraph | undefined> => {
    const bytes = await store.readSnapshot(sha);
    if (!bytes) return undefined;
    try {
      const { content } = decodeIndexSnapshot(bytes, { stateSha256: sha, stateSize: before.size });
      const graph = new StateGraph(content.meta, new ResourceIndex(content.parts), content.warnings, { ...graphOptions, knownCycles: content.cycles });
      return { graph, from: 'snapshot', check, stateSha256: sha };
    } catch (error) {
      // A cycle is a property of the state, not of the snapshot: report it like a cold load would.
      if (error instanceof Error && 'code' in error && error.code === 'GRAPH_CYCLE') throw error;
      problem = error instanceof Error ? error.message : String(error);
      return undefined;
    }
  };

  if (entry && sameStat(entry, before)) {
    const hit = await tryHit(entry.stateSha256, 'stat');
    if (hit) return hit;
  } else if (entry && entry.size === before.size && options.hashFirst !== false) {
    // NOTE: same size, other mtime/inode (touch, copy, checkout): hashing (~1.4 GB/s) is far cheaper than a
    // cold load, and likely hits. A changed size means changed content: go straight to the cold load.
    const sha = await sha256File(path);
    const hit = await tryHit(sha, 'hash');
    if (hit) {
      await store.writePathEntry({ path, ...before, stateSha256: sha }).catch(() => undefined);
      return hit;
    }
  }

  let state: LoadedState;
  let sha: string;
  if (before.size >= (options.workerHashFromBytes ?? WORKER_HASH_MIN_BYTES)) {
    // NOTE: a worker thread reads and hashes (SHA-256 is ~1 s of CPU per 1.5 GB) while this thread scans.
    let read = 0;
    const hashed = hashedFileChunks(path, (n) => options.onProgress?.((read += n), before.size));
    try {
      state = await parse(hashed.chunks, sourceName);
    } finally {
      // A parser that stopped early must not leave the worker (and so the process) running.
      await hashed.close();
    }
    sha = hashed.sha256();
  } else {
    const hash = createHash('sha256');
    state = await parse(hashedChunks(path, hash, before.size, options.onProgress), sourceName);
    sha = hash.digest('hex');
  }
  const { index, warnings } = buildIndex(state);
  // Built with cycles allowed so they can be stored; refused below, after the snapshot, like any load would.
  const built = new StateGraph(state.meta, index, warnings, { allowCycles: true });
  try {
    const after = await statOf(path);
    // Only remember what was read if the file did not change while it was read.
    if (after.size === before.size && after.mtimeNs === before.mtimeNs && after.ino === before.ino) {
      const bytes = encodeIndexSnapshotParts({ lineage: state.meta.lineage, serial: state.meta.serial, stateSha256: sha, stateSize: before.size }, { meta: state.meta, parts: index.toParts(), warnings, cycles: built.cycles });
      await store.writeSnapshot(sha, bytes);
      await store.writePathEntry({ path, ...before, stateSha256: sha });
    }
  } catch (error) {
    problem = `snapshot not written: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (built.cycles.length > 0 && !graphOptions.allowCycles) throw new DependencyCycleError(built.cycles);
  return { graph: built, from: 'state', stateSha256: sha, ...(problem ? { snapshotProblem: problem } : {}) };
}

/**
 * A stream of state bytes (`<bin> state pull`, a backend GET) into a StateGraph: scanned chunk by chunk, never one
 * string, so its size is not capped at 512 MB. Uncached (nothing names the bytes before they are read). O(bytes).
 */
async function loadStreamedGraph(chunks: AsyncIterable<Uint8Array>, options: LoadStateGraphOptions): Promise<LoadedStateGraph> {
  const state = await (options.parse ?? defaultParse)(chunks, options.sourceName ?? 'state');
  return { graph: StateGraph.fromState(state, { allowCycles: options.allowCycles ?? false }), from: 'state' };
}
