// The states to re-plan, in topological order (producers before their consumers, ties by name): after a change to
// `from`, its bottom cone across states (downstream of it, itself excluded); without `from`, every state that is not
// clean. Guarantees: deterministic; every state appears after all the states it reads from. O(states + edges · log).

import type { DepsGraph } from './deps-graph.js';
import { DepsInputError } from './deps-errors.js';
import { stateStatuses } from './state-status.js';

/** Every state of `graph` in topological order, ties broken by name (Kahn's algorithm). */
function topological(graph: DepsGraph): string[] {
  const states = graph.states();
  const indegree = new Map(states.map((s) => [s, 0]));
  const next = new Map<string, Set<string>>(states.map((s) => [s, new Set()]));
  for (const e of graph.edges()) {
    const out = next.get(e.producer) as Set<string>;
    if (out.has(e.consumer)) continue; // a multigraph: one ordering constraint per pair
    out.add(e.consumer);
    indegree.set(e.consumer, (indegree.get(e.consumer) ?? 0) + 1);
  }
  // NOTE: a sorted array as the ready set: state counts are in the hundreds, where this beats a heap's constant.
  const ready = states.filter((s) => indegree.get(s) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const s = ready.shift() as string;
    order.push(s);
    for (const n of next.get(s) ?? []) {
      const d = (indegree.get(n) ?? 0) - 1;
      indegree.set(n, d);
      if (d === 0) {
        const at = ready.findIndex((r) => r > n);
        ready.splice(at < 0 ? ready.length : at, 0, n);
      }
    }
  }
  return order;
}

/**
 * The re-plan order. O(states + edges) plus the sorted insertions.
 * @throws DepsInputError when `from` is not a state of the graph
 */
export function replanOrder(graph: DepsGraph, from?: string): string[] {
  const order = topological(graph);
  if (from === undefined) {
    const dirty = new Set(stateStatuses(graph).filter((s) => s.status !== 'clean').map((s) => s.state));
    return order.filter((s) => dirty.has(s));
  }
  if (!order.includes(from)) throw new DepsInputError(`${from} is not a state of the dependency graph`);
  const next = new Map<string, string[]>();
  for (const e of graph.edges()) {
    const out = next.get(e.producer);
    if (out) out.push(e.consumer);
    else next.set(e.producer, [e.consumer]);
  }
  const down = new Set<string>();
  const queue = [from];
  for (let q = 0; q < queue.length; q++) {
    for (const n of next.get(queue[q] as string) ?? []) {
      if (down.has(n)) continue;
      down.add(n);
      queue.push(n);
    }
  }
  return order.filter((s) => down.has(s));
}
