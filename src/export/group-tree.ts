// The nesting of a view's groups: module paths nest (`module.a` holds `module.a.module.b`), types and `none` are
// flat. Shared by the writers that draw clusters (DOT, Mermaid) so grouping is decided once.
// Guarantees: children and node lists in sorted order; every ancestor module exists even when it has no resource.

import { formatModulePath, parseModulePath, type ModuleStep } from '../state/address.js';
import type { ExportView } from './export-view.js';

export interface GroupNode {
  /** Group id: '' for the root (the root module, or everything when not grouped). */
  readonly id: string;
  readonly children: GroupNode[];
  /** Positions in `view.nodes` of the nodes directly in this group. */
  readonly nodes: number[];
  /** Nodes in this group and all its descendants. */
  size: number;
}

/**
 * The ids of `id` and of each of its ancestors, root-most first, as the parent of each is named: module paths
 * parsed once and formatted one step at a time. A path that fails to parse (or any id when not grouped by
 * module) has no ancestor but the root. O(length of id + Σ ancestor id lengths).
 */
function lineage(id: string, groupBy: ExportView['groupBy']): string[] {
  if (groupBy !== 'module' || id === '') return [id];
  let steps: ModuleStep[];
  // NOTE: module paths come from the state and were parsed once already; a path that fails to parse is kept flat.
  try {
    steps = parseModulePath(id);
  } catch {
    return [id];
  }
  const ids: string[] = [];
  let prefix = '';
  for (let k = 0; k < steps.length - 1; k++) {
    const step = formatModulePath([steps[k] as ModuleStep]);
    prefix = prefix === '' ? step : `${prefix}.${step}`;
    ids.push(prefix);
  }
  ids.push(id);
  return ids;
}

/**
 * Builds the group tree of a view. O(V + G log G + Σ group id lengths) for G groups.
 * NOTE: iterative throughout (no recursion over the tree), so a module nested thousands deep cannot overflow the stack.
 */
export function groupTree(view: ExportView): GroupNode {
  const byId = new Map<string, GroupNode>();
  const root: GroupNode = { id: '', children: [], nodes: [], size: 0 };
  byId.set('', root);
  const ensure = (id: string): GroupNode => {
    const hit = byId.get(id);
    if (hit) return hit;
    const ids = lineage(id, view.groupBy);
    // The deepest ancestor that exists already; every group below it is created, parent before child.
    let k = ids.length - 1;
    while (k > 0 && !byId.has(ids[k - 1] as string)) k--;
    let parent = k === 0 ? root : (byId.get(ids[k - 1] as string) as GroupNode);
    for (; k < ids.length; k++) {
      const g: GroupNode = { id: ids[k] as string, children: [], nodes: [], size: 0 };
      byId.set(g.id, g);
      parent.children.push(g);
      parent = g;
    }
    return parent;
  };
  view.nodes.forEach((n, i) => ensure(n.attributes.group).nodes.push(i));
  // Pre-order, then sizes in reverse (children before their parent).
  const order: GroupNode[] = [];
  const stack: GroupNode[] = [root];
  while (stack.length > 0) {
    const g = stack.pop() as GroupNode;
    g.children.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    order.push(g);
    for (const c of g.children) stack.push(c);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const g = order[i] as GroupNode;
    let size = g.nodes.length;
    for (const c of g.children) size += c.size;
    g.size = size;
  }
  return root;
}

