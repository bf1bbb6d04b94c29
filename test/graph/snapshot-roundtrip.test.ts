// encodeIndexSnapshot → decodeIndexSnapshot gives back exactly the graph's parts (every record field, every CSR
// array, meta, warnings) for real states and for one with every rare field.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeIndexSnapshot, encodeIndexSnapshot } from '../../src/graph/index-snapshot.js';
import { ResourceIndex } from '../../src/graph/resource-index.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { parseState } from '../../src/state/parse-state.js';
import { expectSameGraph, mixedStateText } from './snapshot-fixtures.js';

const repo = resolve(import.meta.dirname, '../..');
const sources: [string, () => string][] = [
  ['mixed', () => mixedStateText()],
  ['demo', () => readFileSync(resolve(repo, 'fixtures/demo/terraform.tfstate'), 'utf8')],
  ['DSACMS', () => readFileSync(resolve(repo, '../shared/fixtures/real-states/DSACMS__npd__infrastructure__terraform.tfstate'), 'utf8')],
  ['v4-modules', () => readFileSync(resolve(repo, '../shared/fixtures/real-states/opentofu__opentofu__internal__states__statefile__testdata__roundtrip__v4-modules.in.tfstate'), 'utf8')],
];

describe('index snapshot round trip', () => {
  it.each(sources)('%s', (_name, text) => {
    const graph = StateGraph.fromState(parseState(text()));
    const id = { lineage: graph.meta.lineage, serial: graph.meta.serial, stateSha256: 'ab'.repeat(32), stateSize: 123 };
    const bytes = encodeIndexSnapshot(id, { meta: graph.meta, parts: graph.index.toParts(), warnings: graph.warnings, cycles: graph.cycles });
    const { header, content } = decodeIndexSnapshot(bytes, { stateSha256: id.stateSha256, stateSize: 123 });
    expect(header).toMatchObject(id);
    const loaded = new StateGraph(content.meta, new ResourceIndex(content.parts), content.warnings, { knownCycles: content.cycles });
    // Records are built on first use: ask for them one by one (and out of order) before comparing everything.
    for (let k = graph.size - 1; k >= 0; k--) expect(loaded.index.record(k)).toEqual(graph.index.record(k));
    expect(() => loaded.index.record(graph.size)).toThrow(RangeError);
    expectSameGraph(graph, loaded);
  });

  it('refuses a snapshot of another state', () => {
    const graph = StateGraph.fromState(parseState(mixedStateText()));
    const bytes = encodeIndexSnapshot({ lineage: 'lin-1', serial: 3, stateSha256: 'aa', stateSize: 1 }, { meta: graph.meta, parts: graph.index.toParts(), warnings: graph.warnings, cycles: graph.cycles });
    expect(() => decodeIndexSnapshot(bytes, { stateSha256: 'bb', stateSize: 1 })).toThrow(expect.objectContaining({ code: 'SNAPSHOT_INVALID' }));
    expect(() => decodeIndexSnapshot(bytes, { stateSha256: 'aa', stateSize: 2 })).toThrow(expect.objectContaining({ code: 'SNAPSHOT_INVALID' }));
  });
});
