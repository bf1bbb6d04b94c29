// encodeIndexSnapshot → decodeIndexSnapshot gives back exactly the graph's parts (every record field, every CSR
// array, meta, warnings) for real states and for one with every rare field.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeIndexSnapshot, encodeIndexSnapshot } from '../../src/graph/index-snapshot.js';
import { ResourceIndex } from '../../src/graph/resource-index.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { parseState } from '../../src/state/parse-state.js';
import { describeWithFixtures, fixturePath } from '../support/fixtures.js';
import { demoDir } from '../support/paths.js';
import { expectSameGraph, mixedStateText } from './snapshot-fixtures.js';

const sources: [string, () => string][] = [
  ['mixed', () => mixedStateText()],
  ['demo', () => readFileSync(resolve(demoDir, 'terraform.tfstate'), 'utf8')],
];
const realSources: [string, () => string][] = [
  ['DSACMS', () => readFileSync(fixturePath('DSACMS__npd__infrastructure__terraform.tfstate'), 'utf8')],
  ['v4-modules', () => readFileSync(fixturePath('opentofu__opentofu__internal__states__statefile__testdata__roundtrip__v4-modules.in.tfstate'), 'utf8')],
];

function expectRoundTrip(text: string): void {
  const graph = StateGraph.fromState(parseState(text));
  const id = { lineage: graph.meta.lineage, serial: graph.meta.serial, stateSha256: 'ab'.repeat(32), stateSize: 123 };
  const bytes = encodeIndexSnapshot(id, { meta: graph.meta, parts: graph.index.toParts(), warnings: graph.warnings, cycles: graph.cycles });
  const { header, content } = decodeIndexSnapshot(bytes, { stateSha256: id.stateSha256, stateSize: 123 });
  expect(header).toMatchObject(id);
  const loaded = new StateGraph(content.meta, new ResourceIndex(content.parts), content.warnings, { knownCycles: content.cycles });
  // Records are built on first use: ask for them one by one (and out of order) before comparing everything.
  for (let k = graph.size - 1; k >= 0; k--) expect(loaded.index.record(k)).toEqual(graph.index.record(k));
  expect(() => loaded.index.record(graph.size)).toThrow(RangeError);
  expectSameGraph(graph, loaded);
}

describeWithFixtures('index snapshot round trip of real states', () => {
  it.each(realSources)('%s', (_name, text) => expectRoundTrip(text()));
});

describe('index snapshot round trip', () => {
  it.each(sources)('%s', (_name, text) => expectRoundTrip(text()));

  it('refuses a snapshot of another state', () => {
    const graph = StateGraph.fromState(parseState(mixedStateText()));
    const bytes = encodeIndexSnapshot({ lineage: 'lin-1', serial: 3, stateSha256: 'aa', stateSize: 1 }, { meta: graph.meta, parts: graph.index.toParts(), warnings: graph.warnings, cycles: graph.cycles });
    expect(() => decodeIndexSnapshot(bytes, { stateSha256: 'bb', stateSize: 1 })).toThrow(expect.objectContaining({ code: 'SNAPSHOT_INVALID' }));
    expect(() => decodeIndexSnapshot(bytes, { stateSha256: 'aa', stateSize: 2 })).toThrow(expect.objectContaining({ code: 'SNAPSHOT_INVALID' }));
  });
});
