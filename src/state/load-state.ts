// Loads a tfstate v4 from a file path, '-' (stdin) or bytes in memory, streaming it through the scan kernel:
// a state of any size loads without ever becoming one string (Node caps strings at ~512 MB).
// Guarantees: the same LoadedState and error codes as parseState; unreadable sources raise SourceReadError.

import { open } from 'node:fs/promises';
import { SourceReadError, VelocityError } from '../errors.js';
import type { LoadedState } from './instance-record.js';
import { scanState, type ScanStateOptions } from './scan-state.js';

/** Options of {@link loadState}. */
export interface LoadStateOptions extends ScanStateOptions {
  /** The stream read when the source is '-'. @default process.stdin */
  stdin?: NodeJS.ReadableStream;
}

/** NOTE: 1 MiB reads keep the per-chunk overhead negligible next to the scan itself. */
const READ_CHUNK = 1 << 20;

/** Rethrows read failures of `chunks` (not the scanner's own errors) as SourceReadError. */
async function* guarded(chunks: AsyncIterable<unknown>, name: string): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of chunks) {
      yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Uint8Array);
    }
  } catch (error) {
    if (error instanceof VelocityError) throw error;
    throw new SourceReadError(name, error);
  }
}

/**
 * Loads a state from a path, '-' for `opts.stdin`, or bytes. O(bytes) time, memory O(records).
 * @throws SourceReadError (SOURCE_UNREADABLE), StateParseError, UnsupportedStateVersionError
 */
export async function loadState(source: string | Uint8Array, opts: LoadStateOptions = {}): Promise<LoadedState> {
  const { stdin, ...scanOptions } = opts;
  if (typeof source !== 'string') return scanState(source, { sourceName: 'state', ...scanOptions });
  if (source === '-') {
    const name = opts.sourceName ?? 'stdin';
    return scanState(guarded(stdin ?? process.stdin, name), { ...scanOptions, sourceName: name });
  }
  const name = opts.sourceName ?? source;
  let handle;
  try {
    handle = await open(source, 'r');
  } catch (error) {
    throw new SourceReadError(source, error);
  }
  try {
    const stream = handle.createReadStream({ highWaterMark: READ_CHUNK, autoClose: false });
    return await scanState(guarded(stream, source), { ...scanOptions, sourceName: name });
  } finally {
    await handle.close();
  }
}
