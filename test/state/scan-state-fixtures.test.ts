// Every real state in ../shared/fixtures/real-states reads the same through the streaming scanner (both kernels,
// any chunking) as through parseState: identical records, or the identical error code for malformed/v3 files.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { parseState } from '../../src/state/parse-state.js';
import { scanState } from '../../src/state/scan-state.js';
import { describeWithFixtures } from '../support/fixtures.js';
import { REAL_STATES, chunked, outcome, realStateFiles } from '../support/state-fixtures.js';

describeWithFixtures('scanState on the real fixture states', () => {
  const files = realStateFiles();

  it('finds fixtures to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  for (const file of files) {
    it(`agrees with parseState on ${file}`, async () => {
      const bytes = readFileSync(path.join(REAL_STATES, file));
      const expected = await outcome(() => parseState(bytes, file));
      for (const kernel of ['js', 'wasm'] as const) {
        expect(await outcome(() => scanState(bytes, { kernel, sourceName: file })), `${kernel} whole`).toEqual(expected);
        // NOTE: 1- and 7-byte chunks of the largest files only add run time, not coverage.
        const splits = bytes.length <= 64 * 1024 ? [[1], [7], [64], [3, 4096, 1, 13]] : [[64], [3, 4096, 1, 13]];
        for (const sizes of splits) {
          expect(await outcome(() => scanState(chunked(bytes, sizes), { kernel, sourceName: file })), `${kernel} chunks ${sizes}`).toEqual(expected);
        }
      }
    });
  }
});
