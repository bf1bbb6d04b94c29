// DOT export for Graphviz: one node per resource instance, edges upstream → downstream, nested `cluster_` subgraphs
// per module (or per type), fill colour by role, every export attribute kept as a node attribute.
// Guarantees: node ids n0..nV-1 in view order, clusters in sorted order, no timestamps: same view, same bytes.

import type { ExportNodeAttributes, ExportView } from './export-view.js';
import { groupTree, type GroupNode } from './group-tree.js';
import { groupLabel } from './group-label.js';
import { indentFor } from './indent-for.js';
import { ROLE_COLORS, ROLE_TEXT_COLORS } from './role-colors.js';

/**
 * A quoted DOT string in escString form: `\\` for a backslash, `\"` for a quote. Graphviz shows labels exactly
 * as `s`; readers of the other attributes unescape the same two sequences. O(length).
 * NOTE: DOT's lexer keeps `\\` as two characters and only escString attributes (label, tooltip) fold it, so a
 * raw backslash before a quote (`["a\"b"]` keys) cannot be written any other way without ending the string.
 */
function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Address without its module prefix: inside a module cluster the cluster already names the module. */
function localLabel(a: ExportNodeAttributes, inModuleCluster: boolean): string {
  if (!inModuleCluster || a.module === '') return a.address;
  return a.address.startsWith(`${a.module}.`) ? a.address.slice(a.module.length + 1) : a.address;
}

function nodeLine(view: ExportView, i: number, indent: string): string {
  const a = (view.nodes[i] as { attributes: ExportNodeAttributes }).attributes;
  const colorKey = a.role ?? 'none';
  const attrs: string[] = [
    `label=${quote(localLabel(a, view.groupBy === 'module'))}`,
    `tooltip=${quote(a.address)}`,
    `fillcolor=${quote(ROLE_COLORS[colorKey])}`,
    `fontcolor=${quote(ROLE_TEXT_COLORS[colorKey])}`,
  ];
  if (a.mode === 'data') attrs.push('shape=note');
  if (a.tainted || a.deposedCount > 0) attrs.push('penwidth=2', 'color="#b00000"');
  attrs.push(
    `address=${quote(a.address)}`,
    `mode=${quote(a.mode)}`,
    `type=${quote(a.type)}`,
    `name=${quote(a.name)}`,
    `module=${quote(a.module)}`,
    `provider=${quote(a.provider)}`,
  );
  if (a.indexKey !== undefined) attrs.push(`index_key=${quote(typeof a.indexKey === 'number' ? String(a.indexKey) : JSON.stringify(a.indexKey))}`);
  if (a.tainted) attrs.push('tainted="true"');
  if (a.deposedCount > 0) attrs.push(`deposed_count="${a.deposedCount}"`);
  if (a.role !== undefined) attrs.push(`role=${quote(a.role)}`);
  return `${indent}n${i} [${attrs.join(', ')}];`;
}

/**
 * Writes the cluster of `top` and everything nested in it: its header, its child clusters, its own nodes, `}`.
 * NOTE: an explicit stack, not recursion, so a module nested thousands deep cannot overflow the call stack.
 */
function emitGroup(view: ExportView, top: GroupNode, counter: { next: number }, depth: number, out: string[]): void {
  type Frame = { readonly open: boolean; readonly g: GroupNode; readonly parent: string; readonly depth: number };
  const stack: Frame[] = [{ open: true, g: top, parent: '', depth }];
  while (stack.length > 0) {
    const { open, g, parent, depth: d } = stack.pop() as Frame;
    const indent = indentFor(d);
    const inner = indentFor(d + 1);
    if (!open) {
      for (const i of g.nodes) out.push(nodeLine(view, i, inner));
      out.push(`${indent}}`);
      continue;
    }
    out.push(`${indent}subgraph cluster_${counter.next++} {`);
    const shown = groupLabel(g.id, parent);
    out.push(`${inner}label=${quote(shown)};`);
    // NOTE: the id attribute is left out where the label is shortened (see groupLabel): each node carries its module.
    if (shown === g.id) out.push(`${inner}${view.groupBy === 'module' ? 'module' : 'type'}=${quote(g.id)};`);
    out.push(`${inner}style="rounded"; color="#9a9a9a"; fontcolor="#444444";`);
    stack.push({ open: false, g, parent, depth: d });
    for (let c = g.children.length - 1; c >= 0; c--) stack.push({ open: true, g: g.children[c] as GroupNode, parent: g.id, depth: d + 1 });
  }
}

/** Serializes a view as a Graphviz digraph with module (or type) clusters. O(V + E + Σ cluster id lengths). */
export function toDot(view: ExportView): string {
  const out: string[] = ['digraph velocity {'];
  const graphAttrs = ['rankdir=LR', 'fontname="Helvetica"', 'fontsize=12', 'newrank=true'];
  if (view.attributes.summary !== undefined) graphAttrs.push(`label=${quote(view.attributes.summary)}`, 'labelloc=t');
  if (view.attributes.focus !== undefined) graphAttrs.push(`focus=${quote(view.focus.join(' '))}`);
  out.push(`  graph [${graphAttrs.join(', ')}];`);
  out.push('  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];');
  out.push('  edge [color="#7f7f7f", arrowsize=0.6];');
  const tree = groupTree(view);
  const counter = { next: 0 };
  for (const i of tree.nodes) out.push(nodeLine(view, i, '  '));
  if (view.groupBy !== 'none') for (const c of tree.children) emitGroup(view, c, counter, 1, out);
  for (const e of view.edges) out.push(`  n${e.sourceIndex} -> n${e.targetIndex};`);
  out.push('}', '');
  return out.join('\n');
}
