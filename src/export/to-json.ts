// JSON export: graphology's own serialization (`graph.export()` shape), so `Graph.from(JSON.parse(text))` or
// `graph.import(...)` loads it unchanged. Guarantees: keys in a fixed order, nodes and edges in view order,
// two-space indentation and a final newline, so the same view always gives the same bytes.

import type { ExportView } from './export-view.js';

/** Serializes a view as graphology JSON (options: directed, no multi-edges, no self-loops). O(V + E). */
export function toJson(view: ExportView): string {
  const doc = {
    options: { type: 'directed', multi: false, allowSelfLoops: false },
    attributes: view.attributes,
    nodes: view.nodes.map((n) => ({ key: n.key, attributes: n.attributes })),
    edges: view.edges.map((e) => ({ key: e.key, source: e.source, target: e.target })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
