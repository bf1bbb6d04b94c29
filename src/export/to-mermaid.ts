// Mermaid `flowchart` export: nodes per resource instance, edges upstream → downstream, nested subgraphs per
// module, one class per role. Stays readable: a module bigger than `collapseAbove` becomes one node, and big
// views collapse their largest modules until at most `maxNodes` boxes remain.
// Guarantees: ids n<i> (view order) and g<k> (sorted group order), sorted edges: same view, same bytes.

import { NODE_ROLES, type ExportView, type NodeRole } from './export-view.js';
import { formatModulePath, parseModulePath } from '../state/address.js';
import { groupTree, type GroupNode } from './group-tree.js';
import { groupLabel } from './group-label.js';
import { indentFor } from './indent-for.js';
import { ROLE_COLORS, ROLE_TEXT_COLORS } from './role-colors.js';

export interface MermaidOptions {
  /** A module with more resources than this is drawn as one node. @default 50 */
  readonly collapseAbove?: number;
  /** Collapse the largest modules until at most this many boxes remain (Mermaid slows down and refuses big graphs). @default 300 */
  readonly maxNodes?: number;
}

/** Mermaid label text: quotes and markup characters as Mermaid entity codes. */
function label(s: string): string {
  return `"${s.replace(/[#"<>&]/g, (c) => (c === '#' ? '#35;' : c === '"' ? '#quot;' : c === '<' ? '#lt;' : c === '>' ? '#gt;' : '#amp;'))}"`;
}

const ROLE_RANK: Readonly<Record<NodeRole, number>> = { changed: 0, refresh: 1, static: 2, untouched: 3 };

/** Every group below `top` (not `top` itself), parent before child, siblings in order. O(subtree). */
function descendants(top: GroupNode): GroupNode[] {
  const out: GroupNode[] = [];
  const stack: GroupNode[] = [];
  for (let c = top.children.length - 1; c >= 0; c--) stack.push(top.children[c] as GroupNode);
  while (stack.length > 0) {
    const g = stack.pop() as GroupNode;
    out.push(g);
    for (let c = g.children.length - 1; c >= 0; c--) stack.push(g.children[c] as GroupNode);
  }
  return out;
}

/** Boxes drawn for `top` when the groups in `collapsed` are one box each. O(subtree). */
function countVisible(top: GroupNode, collapsed: ReadonlySet<GroupNode>): number {
  if (collapsed.has(top)) return 1;
  let visible = 0;
  const stack: GroupNode[] = [top];
  while (stack.length > 0) {
    const g = stack.pop() as GroupNode;
    if (collapsed.has(g)) {
      visible++;
      continue;
    }
    visible += g.nodes.length;
    for (const c of g.children) stack.push(c);
  }
  return visible;
}

/**
 * Chooses the groups drawn as one node, and how many boxes remain. O(G log G + V).
 * NOTE: every walk over the tree here and in toMermaid uses an explicit stack, so a module nested thousands
 * deep cannot overflow the call stack.
 */
function chooseCollapsed(tree: GroupNode, collapseAbove: number, maxNodes: number): { collapsed: Set<GroupNode>; visible: number } {
  const collapsed = new Set<GroupNode>();
  const expanded: GroupNode[] = [];
  const stack: GroupNode[] = [];
  for (let c = tree.children.length - 1; c >= 0; c--) stack.push(tree.children[c] as GroupNode);
  while (stack.length > 0) {
    const g = stack.pop() as GroupNode;
    if (g.size > collapseAbove) {
      collapsed.add(g);
      continue;
    }
    expanded.push(g);
    for (let c = g.children.length - 1; c >= 0; c--) stack.push(g.children[c] as GroupNode);
  }
  let visible = countVisible(tree, collapsed);
  if (visible <= maxNodes) return { collapsed, visible };
  // NOTE: largest first, so few collapses reach the budget; a group inside a collapsed one no longer counts.
  const parents = new Map<GroupNode, GroupNode>();
  for (const g of [tree, ...descendants(tree)]) for (const c of g.children) parents.set(c, g);
  const hidden = (g: GroupNode): boolean => {
    for (let p = parents.get(g); p; p = parents.get(p)) if (collapsed.has(p)) return true;
    return false;
  };
  expanded.sort((a, b) => b.size - a.size || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const g of expanded) {
    if (visible <= maxNodes) break;
    if (hidden(g) || g.size <= 1) continue;
    visible -= countVisible(g, collapsed) - 1;
    collapsed.add(g);
  }
  return { collapsed, visible };
}

/** The module call of a module instance path (`module.a.module.c["x"]` → `module.a.module.c`), or undefined. */
function callOf(id: string): string | undefined {
  try {
    const steps = parseModulePath(id);
    const last = steps.at(-1);
    if (!last || last.key === undefined) return undefined;
    return formatModulePath([...steps.slice(0, -1), { name: last.name }]);
  } catch {
    return undefined;
  }
}

/** Serializes a view as a Mermaid flowchart (left to right). O(V + E log E). */
export function toMermaid(view: ExportView, options: MermaidOptions = {}): string {
  const collapseAbove = options.collapseAbove ?? 50;
  const maxNodes = options.maxNodes ?? 300;
  const tree = groupTree(view);
  const grouped = view.groupBy !== 'none';
  const choice = grouped ? chooseCollapsed(tree, collapseAbove, maxNodes) : { collapsed: new Set<GroupNode>(), visible: view.nodes.length };
  const collapsed = choice.collapsed;
  // NOTE: thousands of instances of one module call (`for_each` over customers) stay thousands of boxes after
  // collapsing each instance; past the budget, all instances of a call become one box.
  const mergeCalls = view.groupBy === 'module' && choice.visible > maxNodes;
  const out: string[] = ['flowchart LR'];
  if (view.attributes.summary !== undefined) out.push(`  %% ${view.attributes.summary}`);

  const representative = new Array<string>(view.nodes.length);
  const classOf = new Map<string, string>();
  let groupCounter = 0;
  const roleClass = (i: number): string => view.nodes[i]?.attributes.role ?? 'none';

  const emitNode = (i: number, indent: string, inModule: string): void => {
    const a = (view.nodes[i] as ExportView['nodes'][number]).attributes;
    const text = inModule !== '' && a.address.startsWith(`${inModule}.`) ? a.address.slice(inModule.length + 1) : a.address;
    out.push(`${indent}n${i}[${label(text)}]`);
    representative[i] = `n${i}`;
    classOf.set(`n${i}`, roleClass(i));
  };
  const members = (g: GroupNode, into: number[]): number[] => {
    for (const x of [g, ...descendants(g)]) for (const i of x.nodes) into.push(i);
    return into;
  };
  const emitBox = (all: readonly number[], text: string, indent: string): void => {
    const id = `g${groupCounter++}`;
    let best: NodeRole | 'none' = 'none';
    for (const i of all) {
      const r = view.nodes[i]?.attributes.role;
      if (r !== undefined && (best === 'none' || ROLE_RANK[r] < ROLE_RANK[best])) best = r;
    }
    out.push(`${indent}${id}[[${label(text)}]]`);
    for (const i of all) representative[i] = id;
    classOf.set(id, best);
  };
  /**
   * Subgraphs, nested: each group's header, its children (the instances of one module call merged into one
   * box when over budget), its own nodes, `end`. An explicit stack of pending work, not recursion.
   */
  const emitTree = (children: readonly GroupNode[], depth: number): void => {
    // Children lists are expanded into single steps in order: `open` a group or draw a merged box.
    type Step = { readonly open: GroupNode } | { readonly box: readonly GroupNode[]; readonly call: string };
    const stepsOf = (list: readonly GroupNode[]): Step[] => {
      const byCall = new Map<string, GroupNode[]>();
      if (mergeCalls) {
        for (const c of list) {
          const call = callOf(c.id);
          if (call !== undefined) byCall.set(call, [...(byCall.get(call) ?? []), c]);
        }
      }
      const done = new Set<string>();
      const steps: Step[] = [];
      for (const c of list) {
        const call = mergeCalls ? callOf(c.id) : undefined;
        const siblings = call === undefined ? undefined : byCall.get(call);
        if (call === undefined || !siblings || siblings.length < 2) steps.push({ open: c });
        else if (!done.has(call)) {
          done.add(call);
          steps.push({ box: siblings, call });
        }
      }
      return steps;
    };
    const pending: { steps: Step[]; at: number; depth: number; parent: string }[] = [];
    const run = (list: readonly GroupNode[], d: number, parent: string): void => void pending.push({ steps: stepsOf(list), at: 0, depth: d, parent });
    // Open groups, innermost last; `level` is the pending depth at which their children run.
    const ends: { g: GroupNode; depth: number; level: number }[] = [];
    run(children, depth, '');
    while (pending.length > 0) {
      const top = pending[pending.length - 1]!;
      if (top.at >= top.steps.length) {
        pending.pop();
        // The group whose children these were is complete: its own nodes, then `end`.
        const e = ends.at(-1);
        if (e !== undefined && e.level === pending.length) {
          ends.pop();
          for (const i of e.g.nodes) emitNode(i, indentFor(e.depth + 1), view.groupBy === 'module' ? e.g.id : '');
          out.push(`${indentFor(e.depth)}end`);
        }
        continue;
      }
      const step = top.steps[top.at++]!;
      const indent = indentFor(top.depth);
      if ('box' in step) {
        const all = step.box.flatMap((g) => members(g, []));
        emitBox(all, `${step.call} (${step.box.length} instances, ${all.length} resources)`, indent);
        continue;
      }
      const g = step.open;
      if (collapsed.has(g)) {
        emitBox(members(g, []), `${g.id} (${g.size} resources)`, indent);
        continue;
      }
      out.push(`${indent}subgraph g${groupCounter++}[${label(groupLabel(g.id, top.parent))}]`);
      ends.push({ g, depth: top.depth, level: pending.length });
      run(g.children, top.depth + 1, g.id);
    }
  };
  for (const i of tree.nodes) emitNode(i, '  ', '');
  if (grouped) emitTree(tree.children, 1);

  const seen = new Set<string>();
  const edges: string[] = [];
  for (const e of view.edges) {
    const s = representative[e.sourceIndex] as string;
    const t = representative[e.targetIndex] as string;
    if (s === t) continue;
    const key = `${s} --> ${t}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push(key);
  }
  // Edges come in view order; collapsed endpoints keep the first occurrence, which is itself deterministic.
  for (const e of edges) out.push(`  ${e}`);

  const byClass = new Map<string, string[]>();
  for (const [id, cls] of classOf) {
    const list = byClass.get(cls) ?? [];
    list.push(id);
    byClass.set(cls, list);
  }
  for (const cls of [...NODE_ROLES, 'none'] as const) {
    const ids = byClass.get(cls);
    if (!ids) continue;
    out.push(`  classDef ${cls} fill:${ROLE_COLORS[cls]},color:${ROLE_TEXT_COLORS[cls]},stroke:#555555`);
    out.push(`  class ${ids.join(',')} ${cls}`);
  }
  out.push('');
  return out.join('\n');
}
