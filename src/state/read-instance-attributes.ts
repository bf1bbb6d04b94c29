// Reads the attributes of one resource instance on demand, by the byte span the streaming scanner recorded:
// only that object's bytes are read and parsed, so a query on a 1 GB state costs one small read.
// Guarantees: the result equals JSON.parse of the whole state at the same instance; bad spans raise typed errors.

import { open } from 'node:fs/promises';
import { SourceReadError, StateParseError } from '../errors.js';

/** A byte range [start, end) in a state file, as InstanceRecord.span holds it. */
export interface ByteSpan {
  readonly start: number;
  readonly end: number;
}

async function readSpan(source: string | Uint8Array, span: ByteSpan): Promise<Uint8Array> {
  if (!(Number.isSafeInteger(span.start) && Number.isSafeInteger(span.end) && span.start >= 0 && span.end > span.start)) {
    throw new StateParseError('STATE_NOT_A_STATE', `invalid instance span ${span.start}..${span.end}`);
  }
  if (typeof source !== 'string') return source.subarray(span.start, span.end);
  let handle;
  try {
    handle = await open(source, 'r');
  } catch (error) {
    throw new SourceReadError(source, error);
  }
  try {
    const length = span.end - span.start;
    const bytes = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await handle.read(bytes, got, length - got, span.start + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    if (got < length) {
      throw new StateParseError('STATE_TRUNCATED', `${source} ends before the instance span ${span.start}..${span.end} (changed since it was loaded?)`);
    }
    return bytes;
  } catch (error) {
    if (error instanceof StateParseError) throw error;
    throw new SourceReadError(source, error);
  } finally {
    await handle.close();
  }
}

/**
 * The `attributes` object of the instance object at `span` in `source` (a state file path, or the bytes the
 * state was scanned from); `attributes_flat` for pre-0.12 style objects; `{}` when it has neither.
 * O(span length).
 * @throws SourceReadError, StateParseError when the span does not hold an instance object (file changed since loading)
 */
export async function readInstanceAttributes(source: string | Uint8Array, span: ByteSpan): Promise<Record<string, unknown>> {
  const bytes = await readSpan(source, span);
  const name = typeof source === 'string' ? source : 'state';
  let object: unknown;
  try {
    object = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (error) {
    throw new StateParseError('STATE_NOT_JSON', `${name}: bytes ${span.start}..${span.end} are not an instance object (changed since it was loaded?)`, { offset: span.start, cause: error });
  }
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    throw new StateParseError('STATE_NOT_A_STATE', `${name}: bytes ${span.start}..${span.end} are not an instance object`);
  }
  const record = object as Record<string, unknown>;
  for (const key of ['attributes', 'attributes_flat']) {
    const value = record[key];
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  }
  return {};
}
