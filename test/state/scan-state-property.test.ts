// Property: on hostile tfstate-shaped documents (any whitespace, key order, escapes, unicode, deep values,
// wrong types, duplicate keys) split into random chunks, the wasm kernel, the js kernel and parseState agree:
// the same records, or the same error code. Also on truncated and byte-corrupted versions of them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseState } from '../../src/state/parse-state.js';
import { scanState } from '../../src/state/scan-state.js';
import { stateDocument, serialize } from '../support/hostile-json.js';
import { chunked, outcome } from '../support/state-fixtures.js';

const chunkSizes = fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 5 });
const noise = fc.array(fc.nat(20), { minLength: 1, maxLength: 7 });

async function agree(bytes: Uint8Array, sizes: readonly number[]): Promise<void> {
  const expected = await outcome(() => parseState(bytes, 's'));
  expect(await outcome(() => scanState(chunked(bytes, sizes), { kernel: 'js', sourceName: 's' }))).toEqual(expected);
  expect(await outcome(() => scanState(chunked(bytes, sizes), { kernel: 'wasm', sourceName: 's' }))).toEqual(expected);
  if ('ok' in expected) {
    // Every span holds exactly one instance object with the record's index key.
    const { instances } = await scanState(chunked(bytes, sizes), { kernel: 'wasm' });
    for (const record of instances) {
      const object = JSON.parse(Buffer.from(bytes.subarray(record.span!.start, record.span!.end)).toString('utf8')) as Record<string, unknown>;
      const key = object['index_key'];
      expect(typeof key === 'string' || typeof key === 'number' ? key : null).toEqual(record.indexKey);
    }
  }
}

describe('scanState agrees with parseState on generated states', () => {
  it('for well-formed documents, whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(stateDocument, noise, chunkSizes, async (doc, ws, sizes) => {
        await agree(Buffer.from(serialize(doc, ws), 'utf8'), sizes);
      }),
      { numRuns: 150 },
    );
  });

  it('for truncated and corrupted documents', async () => {
    await fc.assert(
      fc.asyncProperty(stateDocument, noise, chunkSizes, fc.double({ min: 0, max: 1, noNaN: true }), fc.option(fc.integer({ min: 0, max: 255 })), async (doc, ws, sizes, where, byte) => {
        const full = Buffer.from(serialize(doc, ws), 'utf8');
        const at = Math.floor(where * full.length);
        // Either cut the document at `at`, or overwrite the byte there.
        const bytes = byte === null ? full.subarray(0, at) : Buffer.from(full);
        if (byte !== null && at < bytes.length) bytes[at] = byte;
        await agree(bytes, sizes);
      }),
      { numRuns: 150 },
    );
  });
});
