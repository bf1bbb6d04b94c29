// The graph of states as an export view, so every graph format (DOT, Mermaid, JSON, GraphML, GEXF, HTML, SVG/PNG)
// draws it: one node per state (type `state`), one edge per producer → consumer pair, the status as the role
// (stale = changed, potentially-stale = refresh, clean = untouched). Guarantees: the view's usual sorting, so equal
// graphs give equal bytes.

import graphology from 'graphology';
import { exportView, type ExportView, type GroupBy, type NodeRole } from '../export/export-view.js';
import type { NodeInfo } from '../graph/state-graph.js';
import type { DepsGraph } from './deps-graph.js';
import { stateStatuses, type StateStatus } from './state-status.js';

const ROLE: Readonly<Record<StateStatus, NodeRole>> = { stale: 'changed', 'potentially-stale': 'refresh', clean: 'untouched' };

/** The view of `graph`'s states. O(states + edges) plus the view's sorting and reduction. */
export function depsExportView(graph: DepsGraph, options: { readonly groupBy?: GroupBy; readonly allEdges?: boolean } = {}): ExportView {
  const g = new graphology.DirectedGraph<NodeInfo>();
  const statuses = stateStatuses(graph);
  for (const s of statuses) g.addNode(s.state, { address: s.state, mode: 'managed', type: 'state', name: s.state, module: '', indexKey: null, provider: '', tainted: false, deposedCount: 0 });
  for (const e of graph.edges()) if (!g.hasEdge(e.producer, e.consumer)) g.addDirectedEdge(e.producer, e.consumer);
  const base = { groupBy: options.groupBy ?? 'none', allEdges: options.allEdges ?? false } as const;
  const stale = statuses.filter((s) => s.status === 'stale').map((s) => s.state);
  if (stale.length === 0) return exportView(g, base);
  return exportView(g, { ...base, focus: stale, roles: new Map(statuses.map((s) => [s.state, ROLE[s.status]])) });
}
