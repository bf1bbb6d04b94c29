// The nesting of a view's groups: module paths nest (`module.a` holds `module.a.module.b`), types and `none` are
// flat. Shared by the writers that draw clusters (DOT, Mermaid) so grouping is decided once.
// Guarantees: children and node lists in sorted order; every ancestor module exists even when it has no resource.

import { parseModulePath, formatModulePath } from '../state/address.js';
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

function parentOf(id: string, groupBy: ExportView['groupBy']): string {
  if (groupBy !== 'module' || id === '') return '';
  // NOTE: module paths come from the state and were parsed once already; a path that fails to parse is kept flat.
  try {
    const steps = parseModulePath(id);
    return formatModulePath(steps.slice(0, -1));
  } catch {
    return '';
  }
}

/** Builds the group tree of a view. O(V + G log G · depth) for G groups. */
export function groupTree(view: ExportView): GroupNode {
  const byId = new Map<string, GroupNode>();
  const root: GroupNode = { id: '', children: [], nodes: [], size: 0 };
  byId.set('', root);
  const ensure = (id: string): GroupNode => {
    let g = byId.get(id);
    if (g) return g;
    g = { id, children: [], nodes: [], size: 0 };
    byId.set(id, g);
    ensure(parentOf(id, view.groupBy)).children.push(g);
    return g;
  };
  view.nodes.forEach((n, i) => ensure(n.attributes.group).nodes.push(i));
  const finish = (g: GroupNode): number => {
    g.children.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    g.size = g.nodes.length + g.children.reduce((s, c) => s + finish(c), 0);
    return g.size;
  };
  finish(root);
  return root;
}
