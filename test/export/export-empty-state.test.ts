import { describe, expect, it } from 'vitest';
import graphology from 'graphology';
import { StateGraph } from '../../src/graph/state-graph.js';
import { GRAPH_FORMATS, graphExport } from '../../src/plan/graph-export.js';
import { parseState } from '../../src/state/parse-state.js';

describe('an empty state exports in every format', () => {
  it('no resources: valid, empty documents (no NaN, no crash)', () => {
    const graph = StateGraph.fromState(parseState('{"version":4,"terraform_version":"1.11.4","serial":1,"lineage":"x","outputs":{},"resources":[]}'));
    for (const format of GRAPH_FORMATS) {
      const full = graphExport(graph, { format });
      // The page's scripts legitimately say `undefined` and `Infinity`; its data payload must not.
      const text = format === 'html' ? (/<script type="application\/json" id="velocity-data">(.*?)<\/script>/s.exec(full)?.[1] ?? '') : full;
      expect(text.length, format).toBeGreaterThan(0);
      expect(text, format).not.toMatch(/NaN|undefined|Infinity/);
    }
    expect(graphology.DirectedGraph.from(JSON.parse(graphExport(graph, { format: 'json' }))).order).toBe(0);
  });
});
