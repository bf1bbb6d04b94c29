// A comparable snapshot of a graphology graph: graph attributes, nodes and edges sorted by key, so two graphs loaded
// from different formats can be compared with one toEqual.

import type { ExportView } from '../../src/export/export-view.js';

interface GraphLike {
  getAttributes(): Record<string, unknown>;
  forEachNode(cb: (key: string, attrs: Record<string, unknown>) => void): void;
  forEachEdge(cb: (key: string, attrs: Record<string, unknown>, source: string, target: string) => void): void;
  readonly type: string;
}

export interface Canonical {
  readonly type: string;
  readonly attributes: Record<string, unknown>;
  readonly nodes: [string, Record<string, unknown>][];
  readonly edges: [string, string, string][];
}

const byFirst = <T extends [string, ...unknown[]]>(a: T, b: T) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

export function canonical(g: GraphLike): Canonical {
  const nodes: [string, Record<string, unknown>][] = [];
  g.forEachNode((k, a) => nodes.push([k, { ...a }]));
  const edges: [string, string, string][] = [];
  g.forEachEdge((k, _a, s, t) => edges.push([k, s, t]));
  return { type: g.type, attributes: { ...g.getAttributes() }, nodes: nodes.sort(byFirst), edges: edges.sort(byFirst) };
}

/** What every loader must give back for a view's nodes and edges (graph attributes differ per format). */
export function expectedOf(view: ExportView): Omit<Canonical, 'attributes'> {
  return {
    type: 'directed',
    nodes: view.nodes.map((n): [string, Record<string, unknown>] => [n.key, { ...n.attributes }]).sort(byFirst),
    edges: view.edges.map((e): [string, string, string] => [e.key, e.source, e.target]).sort(byFirst),
  };
}
