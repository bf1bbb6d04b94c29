// The graph of dependencies between states: a multigraph of edges producer state + output → consumer state + input
// name, with what each producer's outputs were when last read and what each consumer last observed of them.
// Guarantees: unique per (producer, output, consumer) and per (consumer, input); acyclic (an edge that would close a
// cycle is refused with the cycle named); edges and states always listed sorted; the JSON form round-trips.

import { DepsCycleError, DepsEdgeExistsError, DepsEdgeNotFoundError, DepsFileError, DepsInputError } from './deps-errors.js';

/** One edge: `consumer` reads `producer`'s output `output` as its input `input`. */
export interface DepEdge {
  readonly producer: string;
  readonly output: string;
  readonly consumer: string;
  readonly input: string;
  /** The output's fingerprint the consumer last applied with; null: never observed. */
  readonly observed: string | null;
  /** A stand-in value for an output that does not exist yet (`deps sync` writes it instead of the output). */
  readonly mock?: unknown;
}

/** What a producer's outputs were when last read. */
export interface ProducerSnapshot {
  readonly serial: number;
  readonly lineage: string;
  /** Output name → fingerprint (outputFingerprint of its value). */
  readonly outputs: Readonly<Record<string, string>>;
  readonly readAt: string;
}

export type EdgeStatus = 'pending' | 'ok' | 'dirty' | 'missing-output';

/** The file form (`.velocity/deps.json`). */
export interface DepsGraphJson {
  readonly format: 'velocity-deps';
  readonly version: 1;
  readonly edges: readonly DepEdge[];
  readonly producers: Readonly<Record<string, ProducerSnapshot>>;
}

const byEdge = (a: DepEdge, b: DepEdge): number =>
  cmp(a.producer, b.producer) || cmp(a.output, b.output) || cmp(a.consumer, b.consumer) || cmp(a.input, b.input);
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An HCL identifier: what an input name becomes in `deps sync`'s locals. */
const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `name` as an identifier fragment: lower case, runs of other characters as `_`. */
export function slugOf(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return s === '' ? 'state' : /^[0-9]/.test(s) ? `s_${s}` : s;
}

/** The default input name of an edge: `<producer_slug>_<output_slug>`. */
export function defaultInputName(producer: string, output: string): string {
  return `${slugOf(producer.split('/').filter((p) => p !== '' && p !== '.' && p !== '..').join('_') || producer)}_${slugOf(output)}`;
}

/** An edge as given to `add`: the input name and what was observed are optional. */
export type NewEdge = Omit<DepEdge, 'input' | 'observed'> & { readonly input?: string; readonly observed?: string | null };

/** `edge` with its defaults (input `<producer_slug>_<output_slug>`, observed null), checked. O(1). @throws DepsInputError */
function completeEdge(edge: NewEdge): DepEdge {
  const input = edge.input ?? defaultInputName(edge.producer, edge.output);
  if (edge.producer === '' || edge.consumer === '' || edge.output === '') throw new DepsInputError('producer, output and consumer must not be empty');
  if (!IDENT.test(input)) throw new DepsInputError(`input name ${JSON.stringify(input)} is not an identifier (letters, digits, _ and -)`);
  return { producer: edge.producer, output: edge.output, consumer: edge.consumer, input, observed: edge.observed ?? null, ...(edge.mock !== undefined ? { mock: edge.mock } : {}) };
}

/** Whether the states of `edges` have no cycle (Kahn's algorithm over distinct pairs). O(states + edges). */
function acyclic(edges: readonly DepEdge[]): boolean {
  const next = new Map<string, Set<string>>();
  const indegree = new Map<string, number>();
  for (const e of edges) {
    if (!indegree.has(e.producer)) indegree.set(e.producer, 0);
    if (!indegree.has(e.consumer)) indegree.set(e.consumer, 0);
    const out = next.get(e.producer) ?? new Set<string>();
    next.set(e.producer, out);
    if (out.has(e.consumer)) continue;
    out.add(e.consumer);
    indegree.set(e.consumer, (indegree.get(e.consumer) ?? 0) + 1);
  }
  const ready = [...indegree].filter(([, d]) => d === 0).map(([s]) => s);
  let done = 0;
  for (let i = 0; i < ready.length; i++) {
    done++;
    for (const n of next.get(ready[i] as string) ?? []) {
      const d = (indegree.get(n) ?? 0) - 1;
      indegree.set(n, d);
      if (d === 0) ready.push(n);
    }
  }
  return done === indegree.size;
}

export class DepsGraph {
  #edges: DepEdge[] = [];
  #producers = new Map<string, ProducerSnapshot>();

  /** The graph of a file's JSON. O(edges · log edges). @throws DepsFileError when it is not a version 1 graph */
  static fromJson(value: unknown, path = 'deps graph'): DepsGraph {
    const v = value as Partial<DepsGraphJson> | null;
    if (v === null || typeof v !== 'object' || v.format !== 'velocity-deps' || v.version !== 1 || !Array.isArray(v.edges) || typeof v.producers !== 'object' || v.producers === null)
      throw new DepsFileError(path, 'not a version 1 velocity dependency graph');
    for (const e of v.edges) {
      if (typeof e?.producer !== 'string' || typeof e.output !== 'string' || typeof e.consumer !== 'string' || typeof e.input !== 'string' || (e.observed !== null && typeof e.observed !== 'string'))
        throw new DepsFileError(path, `an edge is malformed: ${JSON.stringify(e)}`);
    }
    let g: DepsGraph;
    try {
      g = DepsGraph.ofEdges(v.edges);
    } catch (error) {
      throw new DepsFileError(path, (error as Error).message, { cause: error });
    }
    for (const [name, s] of Object.entries(v.producers)) g.#producers.set(name, s);
    return g;
  }

  /**
   * A graph of many edges at once, with every check `add` makes (names, both uniquenesses, no cycle) done in one
   * pass: O(edges · log edges), where adding them one by one costs O(edges²) (a 2,200-edge server graph took
   * 250 ms to load that way, bench:deps). @throws DepsEdgeExistsError, DepsCycleError (naming it), DepsInputError
   */
  static ofEdges(edges: Iterable<NewEdge>): DepsGraph {
    const g = new DepsGraph();
    const byTriple = new Map<string, DepEdge>();
    const byInput = new Map<string, DepEdge>();
    const list: DepEdge[] = [];
    for (const edge of edges) {
      const full = completeEdge(edge);
      const same = byTriple.get(`${full.producer}\u0000${full.output}\u0000${full.consumer}`);
      if (same) throw new DepsEdgeExistsError(`${full.consumer} already reads ${full.producer}'s output ${full.output} (as ${same.input})`);
      const named = byInput.get(`${full.consumer}\u0000${full.input}`);
      if (named) throw new DepsEdgeExistsError(`${full.consumer} already has an input ${full.input} (${named.producer}'s output ${named.output}); choose another with --as`);
      byTriple.set(`${full.producer}\u0000${full.output}\u0000${full.consumer}`, full);
      byInput.set(`${full.consumer}\u0000${full.input}`, full);
      list.push(full);
    }
    if (!acyclic(list)) {
      // Only on refusal: add them one by one, so the cycle is named exactly as `add` names it.
      const named = new DepsGraph();
      for (const e of list) named.add(e);
    }
    g.#edges = list.sort(byEdge);
    return g;
  }

  toJson(): DepsGraphJson {
    const producers = Object.fromEntries([...this.#producers].sort(([a], [b]) => cmp(a, b)));
    return { format: 'velocity-deps', version: 1, edges: [...this.#edges], producers };
  }

  /** Every edge, sorted by producer, output, consumer. */
  edges(): readonly DepEdge[] {
    return this.#edges;
  }

  /** Every state named by an edge, sorted. O(edges). */
  states(): string[] {
    const s = new Set<string>();
    for (const e of this.#edges) s.add(e.producer).add(e.consumer);
    return [...s].sort(cmp);
  }

  producer(name: string): ProducerSnapshot | undefined {
    return this.#producers.get(name);
  }

  /**
   * Adds an edge (`input` defaults to `<producer_slug>_<output_slug>`, `observed` to null). O(edges).
   * @throws DepsEdgeExistsError, DepsCycleError (naming the cycle), DepsInputError
   */
  add(edge: NewEdge): DepEdge {
    const full = completeEdge(edge);
    const same = this.#edges.find((e) => e.producer === full.producer && e.output === full.output && e.consumer === full.consumer);
    if (same) throw new DepsEdgeExistsError(`${full.consumer} already reads ${full.producer}'s output ${full.output} (as ${same.input})`);
    const named = this.#edges.find((e) => e.consumer === full.consumer && e.input === full.input);
    if (named) throw new DepsEdgeExistsError(`${full.consumer} already has an input ${full.input} (${named.producer}'s output ${named.output}); choose another with --as`);
    const cycle = this.cycleWith(full.producer, full.consumer);
    if (cycle) throw new DepsCycleError(cycle);
    this.#edges.push(full);
    this.#edges.sort(byEdge);
    return full;
  }

  /**
   * The cycle an edge producer → consumer would close, producer first and last, or undefined. BFS from the
   * consumer over existing edges: O(edges).
   */
  cycleWith(producer: string, consumer: string): string[] | undefined {
    if (producer === consumer) return [producer, producer];
    const next = new Map<string, string[]>();
    for (const e of this.#edges) {
      const l = next.get(e.producer);
      if (l) l.push(e.consumer);
      else next.set(e.producer, [e.consumer]);
    }
    const parent = new Map<string, string>([[consumer, '']]);
    const queue = [consumer];
    for (let q = 0; q < queue.length; q++) {
      const at = queue[q] as string;
      for (const n of [...new Set(next.get(at) ?? [])].sort(cmp)) {
        if (parent.has(n)) continue;
        parent.set(n, at);
        if (n === producer) {
          const path = [n];
          for (let p = at; p !== ''; p = parent.get(p) ?? '') path.push(p);
          return [producer, ...path.reverse()];
        }
        queue.push(n);
      }
    }
    return undefined;
  }

  /** Removes the edge producer/output → consumer. O(edges). @throws DepsEdgeNotFoundError */
  remove(producer: string, output: string, consumer: string): DepEdge {
    const i = this.#edges.findIndex((e) => e.producer === producer && e.output === output && e.consumer === consumer);
    if (i < 0) throw new DepsEdgeNotFoundError(`no edge ${producer}.${output} -> ${consumer}`);
    const [gone] = this.#edges.splice(i, 1);
    return gone as DepEdge;
  }

  /** Records what a producer's outputs are now (after a write, or `deps refresh`). O(1). */
  observeProducer(name: string, snapshot: ProducerSnapshot): void {
    this.#producers.set(name, snapshot);
  }

  /**
   * A consumer applied successfully: each incoming edge now observed its producer's current fingerprint (edges
   * whose producer or output is unknown are left as they are). Returns the edges changed. O(edges).
   */
  acknowledge(consumer: string): DepEdge[] {
    const changed: DepEdge[] = [];
    this.#edges = this.#edges.map((e) => {
      if (e.consumer !== consumer) return e;
      const digest = this.#producers.get(e.producer)?.outputs[e.output];
      if (digest === undefined || digest === e.observed) return e;
      const next = { ...e, observed: digest };
      changed.push(next);
      return next;
    });
    return changed;
  }

  /** An edge's status: missing-output (the producer was read and has no such output), pending (never observed), ok, dirty. O(1). */
  edgeStatus(edge: DepEdge): EdgeStatus {
    const snap = this.#producers.get(edge.producer);
    if (snap !== undefined && !Object.hasOwn(snap.outputs, edge.output)) return 'missing-output';
    if (edge.observed === null || snap === undefined) return 'pending';
    return snap.outputs[edge.output] === edge.observed ? 'ok' : 'dirty';
  }
}
