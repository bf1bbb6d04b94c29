// `velocity graph` as a library call: choose the subgraph (cones of the focus, bounded by depth), the roles of the
// focus's change, the grouping, then hand the view to one writer. The cone work happens here, never in export/.
// Guarantees: the same state and options give the same bytes; focus addresses accept every `-target` form.

import { walkCone } from '../cone/walk-cone.js';
import { reduction } from '../cone/reduction.js';
import { VelocityEngine } from '../engine/velocity-engine.js';
import { ExportInputError } from '../export/export-errors.js';
import { exportView, type ExportView, type GroupBy, type NodeRole } from '../export/export-view.js';
import { toDot } from '../export/to-dot.js';
import { toGexf } from '../export/to-gexf.js';
import { toGraphml } from '../export/to-graphml.js';
import { toHtml } from '../export/to-html.js';
import { toJson } from '../export/to-json.js';
import { toMermaid } from '../export/to-mermaid.js';
import { renderGraphviz, type ImageFormat } from '../export/render-graphviz.js';
import type { StateGraph } from '../graph/state-graph.js';

export type GraphFormat = 'dot' | 'mermaid' | 'json' | 'graphml' | 'gexf' | 'html';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['dot', 'mermaid', 'json', 'graphml', 'gexf', 'html'];

/** Which part of the graph to export around the focus. */
export type ConeSelection = 'top' | 'bottom' | 'both' | 'change';

export interface GraphExportOptions {
  /** @default 'dot' */
  readonly format?: GraphFormat;
  /** The changed set: roles and savings are computed for it. Any `-target` form. */
  readonly focus?: readonly string[];
  /**
   * Export only this cone of the focus: `top` (upstream), `bottom` (downstream, the blast radius), `both`, or
   * `change` (refresh set plus its static inputs). The whole graph when absent (or `both` when `depth` is set).
   */
  readonly cone?: ConeSelection;
  /** Stop cones after this many hops from the focus. Requires a focus. @default Infinity */
  readonly depth?: number;
  /** @default 'module' */
  readonly groupBy?: GroupBy;
  /** Draw every recorded edge instead of the transitive reduction (same reachability either way). @default false */
  readonly allEdges?: boolean;
  /** Page title for `html`. @default 'velocity graph' */
  readonly title?: string;
}

/** The roles and savings of changing `focus`, exactly as the engine scopes a plan. O(cone · log cone). */
function focusRoles(graph: StateGraph, focus: readonly string[]): { roles: Map<string, NodeRole>; refresh: number } {
  const scope = new VelocityEngine(graph).computeRefreshScope({ changed: focus });
  const roles = new Map<string, NodeRole>();
  for (const a of scope.static) roles.set(a, 'static');
  for (const a of scope.refresh) roles.set(a, 'refresh');
  for (const a of focus) roles.set(a, 'changed');
  return { roles, refresh: scope.refresh.length };
}

/** The ids of the selected cone, focus included. O(cone). */
function selectCone(graph: StateGraph, focusIds: readonly number[], cone: ConeSelection, depth: number): number[] {
  const opts = { maxDepth: depth };
  if (cone === 'top') return walkCone(graph.index, focusIds, 'upstream', opts);
  if (cone === 'bottom') return walkCone(graph.index, focusIds, 'downstream', opts);
  if (cone === 'both') return [...walkCone(graph.index, focusIds, 'upstream', opts), ...walkCone(graph.index, focusIds, 'downstream', opts)];
  const refresh = walkCone(graph.index, focusIds, 'downstream', opts);
  return walkCone(graph.index, refresh, 'upstream', opts);
}

/**
 * Builds the export view of a state graph: selection, roles, grouping. O(V log V + E log E) for a whole-graph
 * view; the selection itself costs O(cone). @throws ExportInputError, AddressParseError, UnknownAddressError
 */
export function graphExportView(graph: StateGraph, options: GraphExportOptions = {}): ExportView {
  const focusIds = [...new Set(graph.resolve(options.focus ?? []))];
  const depth = options.depth ?? Infinity;
  if (!(depth === Infinity || (Number.isInteger(depth) && depth >= 0))) {
    throw new ExportInputError('EXPORT_BAD_OPTION', `depth must be a whole number ≥ 0, got ${depth}`);
  }
  const cone = options.cone ?? (options.depth !== undefined ? 'both' : undefined);
  if (cone !== undefined && focusIds.length === 0) {
    throw new ExportInputError('EXPORT_BAD_OPTION', 'a cone or a depth needs a focus address');
  }
  const include = cone === undefined ? undefined : selectCone(graph, focusIds, cone, depth).map((id) => graph.index.address(id));
  const focus = focusIds.map((id) => graph.index.address(id));
  const groupBy = options.groupBy ?? 'module';
  const allEdges = options.allEdges ?? false;
  const base = include ? { groupBy, allEdges, include } : { groupBy, allEdges };
  if (focus.length === 0) return exportView(graph.toGraphology(), base);
  const { roles, refresh } = focusRoles(graph, focus);
  return exportView(graph.toGraphology(), { ...base, focus, roles, savings: reduction(refresh, graph.size) });
}

/** Exports a state graph in one format. Cost: the view, plus O(V + E) per writer (html adds its layout). */
export function graphExport(graph: StateGraph, options: GraphExportOptions = {}): string {
  return formatView(graphExportView(graph, options), options.format ?? 'dot', options.title ?? 'velocity graph');
}

/** Writes a view (of a state graph, or of the graph of states) in one format. O(V + E) per writer, html adds its layout. */
export function formatView(view: ExportView, format: GraphFormat, title: string): string {
  switch (format) {
    case 'dot':
      return toDot(view);
    case 'mermaid':
      return toMermaid(view);
    case 'json':
      return toJson(view);
    case 'graphml':
      return toGraphml(view);
    case 'gexf':
      return toGexf(view);
    case 'html':
      return toHtml(view, { title });
  }
}

/**
 * Draws a state graph as SVG or PNG: the DOT export rendered by Graphviz's `dot` (found on `env`'s PATH).
 * @throws ExportInputError (EXPORT_GRAPHVIZ_MISSING names the package `graphviz`), plus graphExportView's errors.
 */
export function graphImage(graph: StateGraph, format: ImageFormat, options: Omit<GraphExportOptions, 'format'> & { env?: NodeJS.ProcessEnv } = {}): Buffer {
  const { env, ...rest } = options;
  return renderGraphviz(toDot(graphExportView(graph, rest)), format, env ? { env } : {});
}
