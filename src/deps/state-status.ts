// The status of every state, derived on demand from the edges (never stored): `stale` when an incoming edge is
// dirty or pending, `potentially-stale` when downstream of a stale state, else `clean`.
// Guarantees: sorted by state name, incoming edges by producer then output; O(states + edges).

import type { DepsGraph, EdgeStatus } from './deps-graph.js';

export type StateStatus = 'clean' | 'stale' | 'potentially-stale';

export interface StateStatusEntry {
  readonly state: string;
  readonly status: StateStatus;
  readonly incoming: readonly { readonly from: string; readonly output: string; readonly status: EdgeStatus }[];
}

/** Status of every state of `graph` (or of `only`). O(states + edges). */
export function stateStatuses(graph: DepsGraph, only?: string): StateStatusEntry[] {
  const states = graph.states();
  const incoming = new Map<string, { from: string; output: string; status: EdgeStatus }[]>(states.map((s) => [s, []]));
  const next = new Map<string, string[]>(states.map((s) => [s, []]));
  for (const e of graph.edges()) {
    incoming.get(e.consumer)?.push({ from: e.producer, output: e.output, status: graph.edgeStatus(e) });
    next.get(e.producer)?.push(e.consumer);
  }
  const stale = new Set(states.filter((s) => (incoming.get(s) ?? []).some((i) => i.status === 'dirty' || i.status === 'pending')));
  // Downstream of a stale state: one BFS from all of them.
  const reached = new Set<string>();
  const queue = [...stale];
  for (let q = 0; q < queue.length; q++) {
    for (const n of next.get(queue[q] as string) ?? []) {
      if (reached.has(n)) continue;
      reached.add(n);
      queue.push(n);
    }
  }
  return states
    .filter((s) => only === undefined || s === only)
    .map((state) => ({
      state,
      status: stale.has(state) ? 'stale' : reached.has(state) ? 'potentially-stale' : 'clean',
      // graph.edges() is sorted by producer then output, so incoming already is.
      incoming: incoming.get(state) ?? [],
    }));
}
