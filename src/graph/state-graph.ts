// StateGraph: the public model of a state's dependency DAG. One node per resource instance (managed and data),
// edges from dependency (upstream) to dependent (downstream). Queries run on the compact ResourceIndex; the
// graphology view is built only when asked for (exports, visualisation).

import graphology from 'graphology';
import { DependencyCycleError, UnknownAddressError } from '../errors.js';
import { formatModulePath, instanceAddress, parseModulePath, parseTarget, type ModuleStep } from '../state/address.js';
import type { IndexKey, LoadedState, StateMeta } from '../state/instance-record.js';
import { buildIndex } from './build-index.js';
import { findCycles } from './find-cycles.js';
import type { ResourceIndex } from './resource-index.js';

/** What velocity knows about one node; also the graphology node attributes. */
export interface NodeInfo {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  /** Module instance path as Terraform prints it; '' for the root module. */
  readonly module: string;
  readonly indexKey: IndexKey | null;
  readonly provider: string;
  readonly tainted: boolean;
  readonly deposedCount: number;
}

export interface StateGraphOptions {
  /** Build even when dependencies form cycles (exports); cycles are then listed in `cycles`. @default false */
  readonly allowCycles?: boolean;
  /** The cycles of this very index, already computed (a snapshot stores them): skips the O(n + m) search. */
  readonly knownCycles?: readonly (readonly string[])[];
}

type DirectedGraph = InstanceType<typeof graphology.DirectedGraph<NodeInfo>>;

/** Module steps match when names agree and the pattern's key is absent (every instance) or equal. */
function stepsMatch(pattern: readonly ModuleStep[], actual: readonly ModuleStep[]): boolean {
  return pattern.every((p, i) => {
    const a = actual[i];
    return a !== undefined && a.name === p.name && (p.key === undefined || p.key === a.key);
  });
}

export class StateGraph {
  readonly meta: StateMeta;
  readonly index: ResourceIndex;
  readonly warnings: readonly string[];
  /** Cycles found (only non-empty with `allowCycles`). */
  readonly cycles: readonly (readonly string[])[];
  #graphology: DirectedGraph | undefined;
  #byModule: Map<string, { steps: ModuleStep[]; ids: number[] }> | undefined;

  constructor(meta: StateMeta, index: ResourceIndex, warnings: readonly string[], options: StateGraphOptions = {}) {
    this.meta = meta;
    this.index = index;
    this.warnings = warnings;
    const cycles = options.knownCycles ?? findCycles(index);
    if (cycles.length > 0 && !options.allowCycles) throw new DependencyCycleError(cycles);
    this.cycles = cycles;
  }

  /**
   * Builds the graph of a loaded state. O(n + m).
   * @throws DependencyCycleError (GRAPH_CYCLE) listing every cycle, unless `allowCycles`.
   */
  static fromState(state: LoadedState, options: StateGraphOptions = {}): StateGraph {
    const { index, warnings } = buildIndex(state);
    return new StateGraph(state.meta, index, warnings, options);
  }

  /** Number of resource instances. */
  get size(): number {
    return this.index.size;
  }

  has(address: string): boolean {
    return this.index.idOf(address) !== undefined;
  }

  /** Node metadata by address or id. O(1). @throws UnknownAddressError */
  node(address: string | number): NodeInfo {
    const id = typeof address === 'number' ? address : this.index.idOf(address);
    if (id === undefined) throw new UnknownAddressError([String(address)]);
    const r = this.index.record(id);
    const full = this.index.address(id);
    // The address is `<module>.<local>` or `<local>`, so the module is what precedes the local part.
    const local = instanceAddress(r, '');
    return {
      address: full,
      mode: r.mode,
      type: r.type,
      name: r.name,
      module: full.length > local.length ? full.slice(0, full.length - local.length - 1) : '',
      indexKey: r.indexKey,
      provider: r.provider,
      tainted: r.tainted,
      deposedCount: r.deposedCount,
    };
  }

  /** Every instance address, sorted. O(n log n). */
  addresses(): string[] {
    const out: string[] = new Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.index.address(i);
    return out.sort();
  }

  /**
   * Expands addresses in any form `-target` accepts (instance, resource, module instance, module call) to
   * instance ids, de-duplicated, in id order. O(k + matched) for instances; a module form scans the distinct
   * module instances once. @throws AddressParseError, UnknownAddressError naming every address that matched nothing.
   */
  resolve(targets: readonly string[]): number[] {
    const ids = new Set<number>();
    const unknown: string[] = [];
    for (const text of targets) {
      const exact = this.index.idOf(text);
      if (exact !== undefined) {
        ids.add(exact);
        continue;
      }
      const target = parseTarget(text);
      const before = ids.size;
      const hits: number[] = [];
      if (target.kind === 'resource') {
        const res = target.resource;
        for (const { steps, ids: modIds } of this.#modules().values()) {
          if (steps.length !== res.module.length || !stepsMatch(res.module, steps)) continue;
          for (const id of modIds) {
            const r = this.index.record(id);
            if (r.mode === res.mode && r.type === res.type && r.name === res.name && (res.key === undefined || res.key === r.indexKey)) hits.push(id);
          }
        }
      } else {
        for (const { steps, ids: modIds } of this.#modules().values()) {
          if (steps.length >= target.module.length && stepsMatch(target.module, steps)) hits.push(...modIds);
        }
      }
      for (const id of hits) ids.add(id);
      if (ids.size === before && hits.length === 0) unknown.push(text);
    }
    if (unknown.length > 0) throw new UnknownAddressError(unknown);
    return [...ids].sort((a, b) => a - b);
  }

  /** Instances grouped by module instance, built once. O(n). */
  #modules(): Map<string, { steps: ModuleStep[]; ids: number[] }> {
    if (!this.#byModule) {
      const byModule = new Map<string, { steps: ModuleStep[]; ids: number[] }>();
      for (let id = 0; id < this.size; id++) {
        const mod = this.index.record(id).module;
        let entry = byModule.get(mod);
        if (!entry) byModule.set(mod, (entry = { steps: parseModulePath(mod), ids: [] }));
        entry.ids.push(id);
      }
      this.#byModule = byModule;
    }
    return this.#byModule;
  }

  /** Canonical module instance paths present in the state, sorted. */
  modulePaths(): string[] {
    return [...new Set([...this.#modules().values()].map((m) => formatModulePath(m.steps)))].sort();
  }

  /**
   * The graphology view: node key = address, attributes = NodeInfo, one edge per dependency from upstream to
   * downstream. Built on first call and cached (shared: do not mutate). O(n + m).
   */
  toGraphology(): DirectedGraph {
    if (!this.#graphology) {
      const g: DirectedGraph = new graphology.DirectedGraph<NodeInfo>();
      for (let id = 0; id < this.size; id++) g.addNode(this.index.address(id), this.node(id));
      for (let id = 0; id < this.size; id++) {
        const target = this.index.address(id);
        for (const up of this.index.upstreamOf(id)) g.addDirectedEdge(this.index.address(up), target);
      }
      this.#graphology = g;
    }
    return this.#graphology;
  }
}
