// Fingerprints of resource and data blocks: a digest of the block's own body together with, transitively, every
// variable value, module input, module call meta-argument, local, module output and file it reads.
// Guarantee: if any of those changes, the fingerprint changes (up to digest collisions); references between
// resources do not enter it. Cycles (possible only through over-approximated references) are handled by
// hashing each strongly connected component as one unit, so the result never depends on visiting order.

import type { ConfigGraph, ConfigNode } from '../config/config-graph.js';
import { digestOf } from '../config/summarize-config-file.js';

function ownText(n: ConfigNode): string {
  return `${n.id}\u0000${n.digest}\u0000${n.files.map(([p, d]) => `${p}=${d}`).join(',')}`;
}

/**
 * Fingerprint of every value node reachable from a block, then of every block: address → fingerprint.
 * O(nodes + edges) (Tarjan's strongly connected components, then one Merkle hash per component).
 */
export function fingerprintBlocks(graph: ConfigGraph): Map<string, string> {
  const { nodes } = graph;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const fp = new Map<string, string>();
  let counter = 0;

  // Iterative Tarjan: configurations may chain thousands of locals; recursion would overflow.
  const strongConnect = (root: string): void => {
    const work: { id: string; i: number }[] = [{ id: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { id: string; i: number };
      const edges = nodes.get(frame.id)?.edges ?? [];
      if (frame.i < edges.length) {
        const next = edges[frame.i++] as string;
        if (!nodes.has(next)) continue;
        if (!index.has(next)) {
          index.set(next, counter);
          low.set(next, counter++);
          stack.push(next);
          onStack.add(next);
          work.push({ id: next, i: 0 });
        } else if (onStack.has(next)) low.set(frame.id, Math.min(low.get(frame.id) as number, index.get(next) as number));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.id, Math.min(low.get(parent.id) as number, low.get(frame.id) as number));
      if (low.get(frame.id) !== index.get(frame.id)) continue;
      // frame.id roots a component: pop it and hash it as one unit.
      const members: string[] = [];
      for (;;) {
        const m = stack.pop() as string;
        onStack.delete(m);
        members.push(m);
        if (m === frame.id) break;
      }
      members.sort();
      const memberSet = new Set(members);
      const outside = new Set<string>();
      for (const m of members)
        for (const e of nodes.get(m)?.edges ?? []) if (!memberSet.has(e) && fp.has(e)) outside.add(fp.get(e) as string);
      const h = digestOf(
        members.map((m) => ownText(nodes.get(m) as ConfigNode)).join('\n') + '\n>' + [...outside].sort().join(','),
      );
      for (const m of members) fp.set(m, h);
    }
  };

  // NOTE: a block is never referenced by a value node, so it is its own component: its fingerprint is its body
  // digest joined with a digest of what it reads. That second digest is memoized by reference set (most blocks
  // share a handful), so fingerprinting 100,000 blocks costs no hashing per block.
  const context = new Map<string, string>();
  // NOTE: edge lists are shared arrays (memoized by the graph builder), so the context digest is memoized by array.
  const byEdges = new Map<readonly string[], string>();
  const out = new Map<string, string>();
  for (const b of graph.blocks) {
    const n = nodes.get(b.id) as ConfigNode;
    for (const e of n.edges) if (!index.has(e) && nodes.has(e)) strongConnect(e);
    if (n.edges.length === 0 && n.files.length === 0) {
      out.set(b.address, n.digest);
      continue;
    }
    if (n.files.length === 0) {
      const hit = byEdges.get(n.edges);
      if (hit !== undefined) {
        out.set(b.address, `${n.digest}.${hit}`);
        continue;
      }
    }
    const key = `${n.edges.join(',')}\u0000${n.files.map(([p, d]) => `${p}=${d}`).join(',')}`;
    let ctx = context.get(key);
    if (ctx === undefined) {
      ctx = digestOf(`${n.edges.map((e) => `${e}=${fp.get(e) ?? 'none'}`).join(',')}\u0000${key}`);
      context.set(key, ctx);
    }
    if (n.files.length === 0) byEdges.set(n.edges, ctx);
    out.set(b.address, `${n.digest}.${ctx}`);
  }
  return out;
}

/** Fingerprints of root outputs (name → fingerprint), computed the same way. O(nodes + edges). */
export function fingerprintOutputs(graph: ConfigGraph): Map<string, string> {
  const blocks = [...graph.rootOutputs].map(([name, id]) => ({ id, address: `output.${name}`, modulePath: [], file: '' }));
  const fps = fingerprintBlocks({ ...graph, blocks });
  return new Map([...graph.rootOutputs.keys()].map((n) => [n, fps.get(`output.${n}`) as string]));
}
