// Layered left-to-right layout for the HTML page, by the Eclipse Layout Kernel (elkjs, loaded on first use): one
// box per node sized for its label, module (or type) groups as nested compound clusters, computed in Node ahead of
// time. Guarantees: deterministic; node boxes never overlap; cluster boxes nest and siblings never overlap.

import { createRequire } from 'node:module';
import type { ExportView } from './export-view.js';
import { groupTree, type GroupNode } from './group-tree.js';

/** Views up to this many nodes get the layered layout; bigger ones keep the block layout (see bench/html.ts). */
export const ELK_MAX_NODES = 5000;
/** Module nesting deeper than this keeps the block layout: ELK walks the hierarchy recursively. */
export const ELK_MAX_DEPTH = 40;

/** A rectangle in layout units (pixels at zoom 1), origin top-left, y downwards. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface LayeredLayout {
  /** One box per node, in view order. */
  readonly nodes: readonly Box[];
  /** One box per drawn group (not the root), parents before children; `depth` 1 for top-level groups. */
  readonly clusters: readonly (Box & { readonly group: string; readonly depth: number })[];
  readonly width: number;
  readonly height: number;
}

/** The box width per label character and the box height: labels are drawn in an 11 px monospace font. */
export const CHAR_WIDTH = 6.6;
export const NODE_HEIGHT = 24;
const MAX_LABEL_CHARS = 48;

interface ElkNode {
  id: string;
  width?: number;
  height?: number;
  x?: number;
  y?: number;
  children?: ElkNode[];
  edges?: { id: string; sources: string[]; targets: string[] }[];
  layoutOptions?: Record<string, string>;
}

type Dispatch = (graph: ElkNode) => ElkNode;
let dispatch: Dispatch | undefined;

/**
 * ELK's worker dispatcher, called synchronously. NOTE: elkjs's public API is a Promise over a fake worker that
 * only defers with setTimeout; the dispatcher it wraps lays out synchronously, which keeps `toHtml` synchronous.
 */
function elk(): Dispatch {
  if (dispatch) return dispatch;
  const require = createRequire(import.meta.url);
  const { Worker } = require('elkjs/lib/elk-worker.min.js') as { Worker: new () => { dispatcher: { dispatch(e: { data: unknown }): void }; onmessage: (m: { data: { data?: ElkNode } }) => void } };
  const worker = new Worker();
  let answer: ElkNode | undefined;
  worker.onmessage = (m) => void (answer = m.data.data);
  worker.dispatcher.dispatch({ data: { id: 0, cmd: 'register', algorithms: ['layered'] } });
  dispatch = (graph) => {
    answer = undefined;
    worker.dispatcher.dispatch({ data: { id: 1, cmd: 'layout', graph, layoutOptions: {}, options: {} } });
    if (!answer) throw new Error('elkjs returned no layout');
    return answer;
  };
  return dispatch;
}

/** The label a node box is sized for: the address without the module prefix inside a module cluster. */
export function boxLabel(view: ExportView, i: number): string {
  const a = (view.nodes[i] as ExportView['nodes'][number]).attributes;
  if (view.groupBy !== 'module' || a.module === '' || !a.address.startsWith(`${a.module}.`)) return a.address;
  return a.address.slice(a.module.length + 1);
}

const ROOT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'POLYLINE',
  'elk.spacing.nodeNode': '10',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.spacing.componentComponent': '24',
  // NOTE: Brandes-Köpf placement is linear time; network simplex is nicer but superlinear on 1,000+ nodes.
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.randomSeed': '1',
};
const CLUSTER_OPTIONS: Record<string, string> = { 'elk.padding': '[top=22,left=10,bottom=10,right=10]' };

/**
 * The layered layout of a view, or undefined when it is too big (ELK_MAX_NODES) or nested too deep for ELK.
 * Cost: ELK layered, about O((V + E) · layers) per sweep; measured in bench/html.ts (≈3.6 s at 5,000 nodes on a shared 2-core machine).
 */
export function elkLayout(view: ExportView): LayeredLayout | undefined {
  const n = view.nodes.length;
  if (n === 0 || n > ELK_MAX_NODES) return undefined;
  const tree = groupTree(view);
  const grouped = view.groupBy !== 'none';
  // NOTE: ELK's default crossing-minimisation effort (thoroughness 7) on small views, where it is cheap and shows;
  // thoroughness 1 above 500 nodes, which roughly halves the layout time at 1,000 nodes (bench/html-sizes.ts).
  const layoutOptions = { ...ROOT_OPTIONS, 'elk.layered.thoroughness': n <= 500 ? '7' : '1' };
  const root: ElkNode = { id: 'root', layoutOptions, children: [], edges: [] };
  const clusterOf = new Map<string, GroupNode>();
  // Iterative walk of the group tree (modules may nest deeply): each group's ELK node holds its nodes and children.
  const stack: [GroupNode, ElkNode, number][] = [[tree, root, 0]];
  while (stack.length > 0) {
    const [g, into, depth] = stack.pop() as [GroupNode, ElkNode, number];
    if (depth > ELK_MAX_DEPTH) return undefined;
    for (const i of g.nodes) {
      const chars = Math.min(boxLabel(view, i).length, MAX_LABEL_CHARS);
      (into.children as ElkNode[]).push({ id: `n${i}`, width: Math.round(chars * CHAR_WIDTH + 12), height: NODE_HEIGHT });
    }
    if (!grouped) continue;
    for (const c of g.children) {
      const id = `g${clusterOf.size}`;
      clusterOf.set(id, c);
      const child: ElkNode = { id, layoutOptions: CLUSTER_OPTIONS, children: [] };
      (into.children as ElkNode[]).push(child);
      stack.push([c, child, depth + 1]);
    }
  }
  view.edges.forEach((e) => (root.edges as NonNullable<ElkNode['edges']>).push({ id: e.key, sources: [`n${e.sourceIndex}`], targets: [`n${e.targetIndex}`] }));
  const out = elk()(root);

  const nodes = new Array<Box>(n);
  const clusters: (Box & { group: string; depth: number })[] = [];
  const walk: [ElkNode, number, number, number][] = [[out, 0, 0, 0]];
  for (let head = 0; head < walk.length; head++) {
    const [e, ox, oy, depth] = walk[head] as [ElkNode, number, number, number];
    for (const c of e.children ?? []) {
      const x = ox + (c.x ?? 0);
      const y = oy + (c.y ?? 0);
      const box = { x: Math.round(x), y: Math.round(y), w: Math.round(c.width ?? 0), h: Math.round(c.height ?? 0) };
      if (c.id.startsWith('n')) nodes[Number(c.id.slice(1))] = box;
      else {
        clusters.push({ ...box, group: (clusterOf.get(c.id) as GroupNode).id, depth: depth + 1 });
        walk.push([c, x, y, depth + 1]);
      }
    }
  }
  return { nodes, clusters, width: Math.round(out.width ?? 0), height: Math.round(out.height ?? 0) };
}
