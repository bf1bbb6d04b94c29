// Reads a file as byte chunks while a worker thread computes the SHA-256 of exactly those bytes: the worker reads
// and hashes, then transfers each chunk (no copy) to the caller, at most a few chunks ahead of it. Guarantees: the
// digest names the very bytes yielded, in order; read failures become SourceReadError; the worker always ends.

import { Worker } from 'node:worker_threads';
import { SourceReadError } from '../errors.js';

/** Bytes per chunk, and how many chunks the worker may read ahead of the consumer. */
const CHUNK_BYTES = 4 << 20;
const READ_AHEAD = 4;

// NOTE: plain CommonJS evaluated in the worker (`eval: true`), so the same code runs from dist/ and from sources
// (vitest, tsx), with no worker file to locate. Synchronous reads are fine here: this thread does nothing else.
// Flow control is a shared counter of consumed chunks (Atomics), not messages: a message per chunk back to the
// worker showed up as ~0.5 s of the main thread's time at 1.5 GB.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { path, chunkBytes, readAhead, shared } = workerData;
const hash = createHash('sha256');
let fd = -1;
let produced = 0;
(function run() {
try {
  fd = openSync(path, 'r');
  for (;;) {
    // Wait while readAhead chunks are unconsumed; slot 1 set means the reader is gone.
    for (;;) {
      const consumed = Atomics.load(shared, 0);
      if (Atomics.load(shared, 1) !== 0) { closeSync(fd); return; }
      if (produced - consumed < readAhead) break;
      Atomics.wait(shared, 0, consumed);
    }
    const chunk = new Uint8Array(chunkBytes);
    const n = readSync(fd, chunk, 0, chunkBytes, null);
    if (n === 0) {
      closeSync(fd);
      parentPort.postMessage({ type: 'end', sha256: hash.digest('hex') });
      return;
    }
    const bytes = n === chunkBytes ? chunk : chunk.slice(0, n);
    hash.update(bytes);
    produced++;
    parentPort.postMessage({ type: 'chunk', bytes }, [bytes.buffer]);
  }
} catch (error) {
  try { if (fd >= 0) closeSync(fd); } catch {}
  parentPort.postMessage({ type: 'error', code: error && error.code, message: String(error && error.message || error) });
}
})();
`;

type WorkerMessage = { type: 'chunk'; bytes: Uint8Array } | { type: 'end'; sha256: string } | { type: 'error'; code?: string; message: string };

/** A file's chunks, and its SHA-256 once every chunk has been consumed. */
export interface HashedFileChunks {
  readonly chunks: AsyncIterable<Uint8Array>;
  /** The hex SHA-256 of the bytes yielded. @throws Error when called before the chunks ran to their end */
  sha256(): string;
  /** Stops the worker if the chunks were not read to their end (idempotent). */
  close(): Promise<void>;
}

/**
 * Streams `path` through a hashing worker thread. Cost: O(bytes) on the worker (read + SHA-256), O(chunks) on the
 * caller's thread; memory: READ_AHEAD chunks in flight. The worker starts when iteration starts and is terminated
 * when it ends, completes or is abandoned.
 * @throws SourceReadError (from iteration) when the file cannot be opened or read
 */
export function hashedFileChunks(path: string, onChunk?: (bytes: number) => void): HashedFileChunks {
  let digest: string | undefined;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    // [0]: chunks consumed, [1]: non-zero once this reader is done (the worker then stops).
    const shared = new Int32Array(new SharedArrayBuffer(8));
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, chunkBytes: CHUNK_BYTES, readAhead: READ_AHEAD, shared } });
    const queue: WorkerMessage[] = [];
    let wake: (() => void) | undefined;
    const push = (m: WorkerMessage): void => {
      queue.push(m);
      wake?.();
      wake = undefined;
    };
    worker.on('message', push);
    worker.on('error', (error: Error) => push({ type: 'error', message: error.message }));
    worker.on('exit', (code) => push({ type: 'error', message: `hashing worker exited (${code})` }));
    try {
      for (;;) {
        while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        const m = queue.shift() as WorkerMessage;
        if (m.type === 'end') {
          digest = m.sha256;
          return;
        }
        if (m.type === 'error') throw new SourceReadError(path, Object.assign(new Error(m.message), m.code ? { code: m.code } : {}));
        Atomics.add(shared, 0, 1);
        Atomics.notify(shared, 0);
        onChunk?.(m.bytes.length);
        yield m.bytes;
      }
    } finally {
      Atomics.store(shared, 1, 1);
      Atomics.notify(shared, 0);
      worker.removeAllListeners();
      // A late 'error' with no listener would be thrown; none matters once we are done.
      worker.on('error', () => undefined);
      void worker.terminate();
    }
  }
  const generator = chunks();
  return {
    chunks: generator,
    close: async () => {
      await generator.return(undefined);
    },
    sha256: () => {
      if (digest === undefined) throw new Error('hashedFileChunks: sha256() before the last chunk was consumed');
      return digest;
    },
  };
}
