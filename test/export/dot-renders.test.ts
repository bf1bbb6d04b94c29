import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { StateGraph } from '../../src/graph/state-graph.js';
import { graphExport } from '../../src/plan/graph-export.js';
import { parseState } from '../../src/state/parse-state.js';
import { EKS_FIXTURE, MODULES_FIXTURE, fixtureGraph, itWithFixtures } from '../support/fixtures.js';

const hasDot = spawnSync('dot', ['-V']).status === 0;

// Graphviz is installed by .ci/run (apt-get install graphviz); the test is skipped only where `dot` is truly absent.
describe.skipIf(!hasDot)('DOT export renders with Graphviz', () => {
  itWithFixtures('`dot -Tsvg` succeeds on real fixtures and draws one cluster per module, nested', () => {
    for (const name of [EKS_FIXTURE, MODULES_FIXTURE]) {
      const graph = fixtureGraph(name);
      const dot = graphExport(graph, { format: 'dot', focus: [graph.index.address(0)] });
      const svg = execFileSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8', timeout: 30_000 });
      expect(svg).toContain('<svg');
      const modules = new Set(graph.addresses().map((a) => graph.node(a).module).filter((m) => m !== ''));
      const clusterTitles = [...svg.matchAll(/<g id="clust\d+" class="cluster">\s*<title>(cluster_\d+)<\/title>/g)];
      expect(clusterTitles.length).toBeGreaterThanOrEqual(modules.size);
      for (const m of modules) expect(svg).toContain(`>${m.replace(/"/g, '&quot;')}</text>`);
      const nodeCount = [...svg.matchAll(/<g id="node\d+" class="node">/g)].length;
      expect(nodeCount).toBe(graph.size);
    }
  });

  it('addresses with quotes and backslashes in keys render exactly as Terraform prints them', () => {
    const state = {
      version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'x', outputs: {},
      resources: [
        { module: 'module.c["a\\"b\\\\c"]', mode: 'managed', type: 'terraform_data', name: 'x', provider: 'provider["terraform.io/builtin/terraform"]',
          instances: [{ index_key: 'q"k\\', schema_version: 0, attributes: {}, dependencies: [] }] },
      ],
    };
    const graph = StateGraph.fromState(parseState(JSON.stringify(state)));
    const [address] = graph.addresses();
    expect(address).toBe('module.c["a\\"b\\\\c"].terraform_data.x["q\\"k\\\\"]');
    for (const groupBy of ['none', 'module'] as const) {
      const dot = graphExport(graph, { format: 'dot', groupBy });
      const svg = execFileSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8', timeout: 30_000 });
      const shown = groupBy === 'none' ? (address as string) : 'terraform_data.x["q\\"k\\\\"]';
      expect(svg).toContain(`>${shown.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}</text>`);
    }
  });
});
