// The scanner never holds the document: a ~20 MB state streamed in 64 KB chunks loads correctly while the
// live heap grows by a small fraction of the file (a whole-document string would add its full size).
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { parseState } from '../../src/state/parse-state.js';
import { scanState } from '../../src/state/scan-state.js';
import { syntheticStateChunks } from '../support/synthetic-state-chunks.js';

// NOTE: a forced GC before each sample measures live memory, not garbage awaiting collection.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('scanState memory', () => {
  for (const kernel of ['wasm', 'js'] as const) {
    it(`keeps live heap far below the file size (${kernel} kernel)`, async () => {
      // Chunks live outside the JS heap (Buffer backing stores), so they do not count against the bound.
      const chunks = [...syntheticStateChunks(5000, 64 * 1024, { attributeBytes: 3000 })];
      const size = chunks.reduce((n, c) => n + c.length, 0);
      expect(size).toBeGreaterThan(19e6);
      gc();
      const baseline = process.memoryUsage().heapUsed;
      let peak = 0;
      let calls = 0;
      async function* stream(): AsyncGenerator<Uint8Array> {
        yield* chunks;
      }
      const state = await scanState(stream(), {
        kernel,
        onProgress: () => {
          if (++calls % 48 !== 0) return;
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
        },
      });
      expect(calls).toBe(chunks.length);
      expect(state.instances.length).toBe(5000);
      expect(peak).toBeLessThan(size / 4);
      // And it is the right answer.
      const { instances } = parseState(Buffer.concat(chunks));
      expect(state.instances.map(({ span: _span, ...r }) => r)).toEqual(instances);
    });
  }
});
