// The one selection every graph writer reads: which nodes and edges, their attributes, their role for a focus,
// and their group (module, type or none). Writers only format a view; they never choose nodes or compute cones.
// Guarantees: nodes sorted by address, edges sorted by (source, target) position, so equal inputs give equal bytes;
// by default the edges are the transitive reduction of the selection (same reachability, fewest edges).

import type { DirectedGraph } from 'graphology';
import type { Reduction } from '../cone/reduction.js';
import { savingsLine } from '../plan/plan-reporter.js';
import type { NodeInfo } from '../graph/state-graph.js';
import type { IndexKey } from '../state/instance-record.js';
import { transitiveReduction } from '../graph/transitive-reduction.js';
import { ExportInputError } from './export-errors.js';


/** A node's part in a change: the focus itself, the rest of the refresh set, its static inputs, or unaffected. */
export type NodeRole = 'changed' | 'refresh' | 'static' | 'untouched';

/** All roles, from the most to the least affected (the order legends and collapsed groups use). */
export const NODE_ROLES: readonly NodeRole[] = ['changed', 'refresh', 'static', 'untouched'];

/** How nodes are grouped in clusters, subgraphs and page blocks. */
export type GroupBy = 'module' | 'type' | 'none';

/** The node attributes of a StateGraph's graphology view (what `StateGraph.toGraphology()` stores). */
export type SourceNodeAttributes = NodeInfo;

/**
 * The attributes every format carries for a node, in this order. `indexKey` is absent when the resource has
 * neither count nor for_each; `role` is present exactly when the view has a focus.
 */
export interface ExportNodeAttributes {
  /** The address again, as the display label (GEXF and sigma read `label`). */
  label: string;
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  /** Module instance path, '' for the root module. */
  module: string;
  provider: string;
  indexKey?: IndexKey;
  tainted: boolean;
  deposedCount: number;
  /** Group id under the view's `groupBy`: the module path, the type (`data.` prefixed for data sources) or ''. */
  group: string;
  role?: NodeRole;
}

export interface ExportNode {
  readonly key: string;
  readonly attributes: ExportNodeAttributes;
}

export interface ExportEdge {
  /** `e0`, `e1`... in edge order: stable for a given view. */
  readonly key: string;
  readonly source: string;
  readonly target: string;
  /** Positions of source and target in `nodes`. */
  readonly sourceIndex: number;
  readonly targetIndex: number;
}

/** Graph-level attributes, scalars only so that GraphML carries them unchanged. */
export interface ExportGraphAttributes {
  generator: 'velocity';
  groupBy: GroupBy;
  /** Resources in the whole state (the view may be a subgraph). */
  stateSize: number;
  /** `reduced`: the transitive reduction of the selection's edges is drawn; `all`: every recorded edge. */
  edgeSet: 'reduced' | 'all';
  /** Dependency edges recorded between the selected nodes (what `all` draws). */
  recordedEdges: number;
  /** Focus addresses joined by '\n' (addresses never contain a raw newline); absent without a focus. */
  focus?: string;
  refresh?: number;
  savings?: number;
  /** `Refreshing state... [Velocity: R/N resources (P% savings)]` for the focus. */
  summary?: string;
}

export interface ExportView {
  readonly nodes: readonly ExportNode[];
  readonly edges: readonly ExportEdge[];
  readonly attributes: ExportGraphAttributes;
  readonly groupBy: GroupBy;
  /** Focus addresses, sorted; empty without a focus. */
  readonly focus: readonly string[];
  /** The reduction of refreshing only the change cone of the focus, as `velocity plan` reports it. */
  readonly savings: Reduction | undefined;
  /** Position of a node key in `nodes`. */
  indexOf(key: string): number | undefined;
}

export interface ExportViewOptions {
  /** Nodes to keep (the caller's cone selection); every node when absent. Unknown addresses are an error. */
  readonly include?: Iterable<string>;
  /** Role of each node for the focus; required with `focus`, ignored without. Nodes missing from it are `untouched`. */
  readonly roles?: ReadonlyMap<string, NodeRole>;
  /** The focus addresses (the changed set). */
  readonly focus?: readonly string[];
  /** The savings figure for the focus, computed by the caller from the engine's scope. */
  readonly savings?: Reduction;
  /** @default 'module' */
  readonly groupBy?: GroupBy;
  /**
   * Draw every recorded edge instead of the transitive reduction. Reachability (and so every cone) is the same
   * either way; the reduction drops the edges a longer path already implies. @default false
   */
  readonly allEdges?: boolean;
}

function groupOf(a: SourceNodeAttributes, groupBy: GroupBy): string {
  if (groupBy === 'module') return a.module;
  if (groupBy === 'type') return a.mode === 'data' ? `data.${a.type}` : a.type;
  return '';
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The transitive reduction of the selection's induced subgraph, pairs sorted by (source, target) in and out.
 * NOTE: reduced on the selection, not on the whole state: a cone cut by `depth` (or `both`) may lose the middle of
 * a path, and the recorded shortcut edge is then what keeps the two ends connected. O(V + E) plus the reduction.
 */
function reduce(n: number, pairs: readonly [number, number][]): [number, number][] {
  const offsets = new Uint32Array(n + 1);
  const targets = new Uint32Array(pairs.length);
  pairs.forEach(([s], k) => {
    offsets[s + 1]!++;
    targets[k] = (pairs[k] as [number, number])[1];
  });
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i] as number;
  const keep = transitiveReduction({ size: n, offsets, targets });
  return pairs.filter((_p, k) => keep[k] === 1);
}

/**
 * Builds the view of a StateGraph's graphology graph (node key = address, edge upstream → downstream).
 * O(V log V + E log E) for the sort, plus the reduction (see transitiveReduction); the graph is only read.
 * @throws ExportInputError (EXPORT_UNKNOWN_NODE) when `include` or `focus` names a node the graph lacks.
 */
export function exportView(graph: DirectedGraph, options: ExportViewOptions = {}): ExportView {
  const groupBy = options.groupBy ?? 'module';
  const focus = [...new Set(options.focus ?? [])].sort(compareStrings);
  const missing = focus.filter((a) => !graph.hasNode(a));
  let keys: string[];
  if (options.include === undefined) keys = graph.nodes();
  else {
    keys = [...new Set(options.include)];
    for (const k of keys) if (!graph.hasNode(k)) missing.push(k);
  }
  if (missing.length > 0) throw new ExportInputError('EXPORT_UNKNOWN_NODE', `not in the graph: ${[...new Set(missing)].sort(compareStrings).join(', ')}`);
  keys.sort(compareStrings);
  const position = new Map<string, number>();
  keys.forEach((k, i) => position.set(k, i));

  const withRoles = focus.length > 0;
  const nodes: ExportNode[] = keys.map((key) => {
    const a = graph.getNodeAttributes(key) as SourceNodeAttributes;
    const attributes: ExportNodeAttributes = {
      label: a.address,
      address: a.address,
      mode: a.mode,
      type: a.type,
      name: a.name,
      module: a.module,
      provider: a.provider,
      ...(a.indexKey === null || a.indexKey === undefined ? {} : { indexKey: a.indexKey }),
      tainted: a.tainted,
      deposedCount: a.deposedCount,
      group: groupOf(a, groupBy),
      ...(withRoles ? { role: options.roles?.get(key) ?? 'untouched' } : {}),
    };
    return { key, attributes };
  });

  const pairs: [number, number][] = [];
  for (let s = 0; s < keys.length; s++) {
    graph.forEachOutNeighbor(keys[s] as string, (t) => {
      const ti = position.get(t);
      if (ti !== undefined) pairs.push([s, ti]);
    });
  }
  pairs.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  const recordedEdges = pairs.length;
  const drawn = options.allEdges ? pairs : reduce(keys.length, pairs);
  const edges: ExportEdge[] = drawn.map(([s, t], i) => ({
    key: `e${i}`,
    source: keys[s] as string,
    target: keys[t] as string,
    sourceIndex: s,
    targetIndex: t,
  }));

  const savings = withRoles ? options.savings : undefined;
  const attributes: ExportGraphAttributes = {
    generator: 'velocity',
    groupBy,
    stateSize: graph.order,
    edgeSet: options.allEdges ? 'all' : 'reduced',
    recordedEdges,
    ...(withRoles ? { focus: focus.join('\n') } : {}),
    ...(savings ? { refresh: savings.subgraph, savings: savings.savings, summary: savingsLine(savings) } : {}),
  };
  return { nodes, edges, attributes, groupBy, focus, savings, indexOf: (key) => position.get(key) };
}
