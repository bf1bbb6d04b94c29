// A damaged snapshot is never a wrong answer: any flipped byte, truncation or format change either decodes to
// exactly the original content or raises SNAPSHOT_INVALID.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeIndexSnapshot, encodeIndexSnapshot, SNAPSHOT_FORMAT } from '../../src/graph/index-snapshot.js';
import { ResourceIndex } from '../../src/graph/resource-index.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { parseState } from '../../src/state/parse-state.js';
import { expectSameGraph, mixedStateText } from './snapshot-fixtures.js';

const graph = StateGraph.fromState(parseState(mixedStateText()));
const id = { lineage: 'lin-1', serial: 3, stateSha256: 'cd'.repeat(32), stateSize: 999 };
const good = encodeIndexSnapshot(id, { meta: graph.meta, parts: graph.index.toParts(), warnings: graph.warnings, cycles: graph.cycles });

function decodeOrInvalid(bytes: Uint8Array): StateGraph | 'invalid' {
  try {
    const { content } = decodeIndexSnapshot(bytes, { stateSha256: id.stateSha256, stateSize: id.stateSize });
    return new StateGraph(content.meta, new ResourceIndex(content.parts), content.warnings, { knownCycles: content.cycles });
  } catch (error) {
    expect(error).toMatchObject({ code: 'SNAPSHOT_INVALID' });
    return 'invalid';
  }
}

describe('snapshot corruption', () => {
  it('any single flipped byte is detected or harmless', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: good.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const bad = Buffer.from(good);
        bad[at] = (bad[at] as number) ^ xor;
        const r = decodeOrInvalid(bad);
        if (r !== 'invalid') expectSameGraph(graph, r);
      }),
      { numRuns: 300 },
    );
  });

  it('any truncation is detected', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: good.length - 1 }), (len) => {
        expect(decodeOrInvalid(good.subarray(0, len))).toBe('invalid');
      }),
      { numRuns: 100 },
    );
  });

  it('another format version is refused', () => {
    const bad = Buffer.from(good);
    bad.writeUInt32LE(SNAPSHOT_FORMAT + 1, 8);
    expect(decodeOrInvalid(bad)).toBe('invalid');
    expect(decodeOrInvalid(Buffer.from('not a snapshot at all'))).toBe('invalid');
  });
});
