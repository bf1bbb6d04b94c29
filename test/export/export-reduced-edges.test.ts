// Every format draws the transitive reduction by default and every recorded edge with `--all-edges`; the cones,
// roles and savings of a focus are the same either way (they are computed on the full graph).
import graphology from 'graphology';
import { describe, expect, it } from 'vitest';
import { graphExportView } from '../../src/plan/graph-export.js';
import { runCli } from '../support/cli-harness.js';
import { EKS_FIXTURE, fixtureGraph, fixturePath } from '../support/fixtures.js';

const FOCUS = ['module.vpc.aws_vpc.this[0]'];

describe('reduced edges in exports', () => {
  const graph = fixtureGraph(EKS_FIXTURE);

  /** The descendants of every node of the view through the given edges. */
  const reach = (view: ReturnType<typeof graphExportView>) => {
    const g = new graphology.DirectedGraph();
    for (const n of view.nodes) g.addNode(n.key);
    for (const e of view.edges) g.addDirectedEdge(e.source, e.target);
    return view.nodes.map((n) => {
      const seen = new Set<string>();
      const queue = [n.key];
      for (let q = 0; q < queue.length; q++) g.forEachOutNeighbor(queue[q] as string, (w) => void (seen.has(w) || (seen.add(w), queue.push(w))));
      return [...seen].sort();
    });
  };

  it('the view keeps fewer edges, the reachability of the state, and the same roles and savings', () => {
    const reduced = graphExportView(graph, { focus: FOCUS });
    const all = graphExportView(graph, { focus: FOCUS, allEdges: true });
    expect(all.edges.length).toBe(graph.index.edgeCount);
    expect(reduced.edges.length).toBeLessThan(all.edges.length);
    expect(reduced.attributes).toMatchObject({ edgeSet: 'reduced', recordedEdges: graph.index.edgeCount });
    expect(all.attributes.edgeSet).toBe('all');
    expect(reduced.nodes).toEqual(all.nodes);
    expect(reduced.savings).toEqual(all.savings);
    expect(reach(reduced)).toEqual(reach(all));
  });

  it('a cone selection (cut by depth or not) is reduced on itself: the reachability inside it is kept', () => {
    for (const sel of [{ cone: 'bottom', depth: 1 }, { cone: 'both', depth: 2 }, { cone: 'change' }, { cone: 'top' }] as const) {
      const reduced = graphExportView(graph, { focus: ['module.eks.aws_iam_role.cluster[0]'], ...sel });
      const all = graphExportView(graph, { focus: ['module.eks.aws_iam_role.cluster[0]'], ...sel, allEdges: true });
      expect(reduced.edges.length).toBeLessThanOrEqual(all.edges.length);
      expect(reach(reduced)).toEqual(reach(all));
    }
  });

  it('the CLI draws the reduction unless --all-edges', async () => {
    const reduced = await runCli(['graph', '--state', fixturePath(EKS_FIXTURE), '--format', 'json']);
    const all = await runCli(['graph', '--state', fixturePath(EKS_FIXTURE), '--format', 'json', '--all-edges']);
    expect([reduced.code, all.code]).toEqual([0, 0]);
    const count = (text: string) => (JSON.parse(text) as { edges: unknown[] }).edges.length;
    expect(count(all.stdout)).toBe(graph.index.edgeCount);
    expect(count(reduced.stdout)).toBe(graphExportView(graph).edges.length);
    expect(count(reduced.stdout)).toBeLessThan(count(all.stdout));
  });
});
