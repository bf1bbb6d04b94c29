// The compact dependency index: instance ids 0..size-1 in state order, interned addresses, and upstream/downstream
// adjacency as CSR typed arrays. Every cone query runs on this, never on the graphology view.
// Guarantees: adjacency lists are sorted and duplicate-free; an edge u→v appears in up[v] and in down[u].

import type { InstanceRecord } from '../state/instance-record.js';

/** The parts an index is made of: what buildIndex produces and a snapshot stores. */
export interface ResourceIndexParts {
  readonly addresses: readonly string[];
  readonly records: readonly InstanceRecord[];
  /** upstream of id = upTargets[upOffsets[id] .. upOffsets[id + 1]) (its dependencies). */
  readonly upOffsets: Uint32Array;
  readonly upTargets: Uint32Array;
  /** downstream of id = downTargets[downOffsets[id] .. downOffsets[id + 1]) (its dependents). */
  readonly downOffsets: Uint32Array;
  readonly downTargets: Uint32Array;
  /**
   * Builds record `id` on first use, for ids whose `records` slot is empty (a snapshot leaves them all empty):
   * a loaded snapshot then pays per record asked for, not per instance.
   */
  readonly recordOf?: (id: number) => InstanceRecord;
}

/**
 * Transposes a CSR adjacency (row v lists w) into the CSR of the reversed edges (row w lists v). O(n + m).
 * Rows come out sorted because rows are read in increasing order: no per-row sort is needed.
 */
export function transpose(size: number, offsets: Uint32Array, targets: Uint32Array): { offsets: Uint32Array; targets: Uint32Array } {
  const out = new Uint32Array(size + 1);
  for (let e = 0; e < targets.length; e++) out[(targets[e] as number) + 1]!++;
  for (let i = 0; i < size; i++) out[i + 1]! += out[i] as number;
  const fill = out.slice(0, size);
  const reversed = new Uint32Array(targets.length);
  for (let v = 0; v < size; v++) {
    for (let e = offsets[v] as number, end = offsets[v + 1] as number; e < end; e++) reversed[fill[targets[e] as number]!++] = v;
  }
  return { offsets: out, targets: reversed };
}

export class ResourceIndex {
  readonly size: number;
  readonly upOffsets: Uint32Array;
  readonly upTargets: Uint32Array;
  readonly downOffsets: Uint32Array;
  readonly downTargets: Uint32Array;
  readonly #addresses: readonly string[];
  readonly #records: (InstanceRecord | undefined)[];
  readonly #recordOf: ((id: number) => InstanceRecord) | undefined;
  #ids: Map<string, number> | undefined;

  /** `ids`, when the builder already has it: address → id for every address (what idOf would build). */
  constructor(parts: ResourceIndexParts, ids?: Map<string, number>) {
    this.#ids = ids;
    this.size = parts.addresses.length;
    this.#addresses = parts.addresses;
    this.#records = parts.records as (InstanceRecord | undefined)[];
    this.#recordOf = parts.recordOf;
    this.upOffsets = parts.upOffsets;
    this.upTargets = parts.upTargets;
    this.downOffsets = parts.downOffsets;
    this.downTargets = parts.downTargets;
  }

  /** The parts, for snapshots. Shared, not copied: do not mutate. */
  toParts(): ResourceIndexParts {
    // NOTE: lazily built records are completed here, so the parts are always whole (O(n) once).
    if (this.#recordOf) for (let id = 0; id < this.size; id++) this.record(id);
    return {
      addresses: this.#addresses,
      records: this.#records as readonly InstanceRecord[],
      upOffsets: this.upOffsets,
      upTargets: this.upTargets,
      downOffsets: this.downOffsets,
      downTargets: this.downTargets,
    };
  }

  /** Canonical instance address of `id`. O(1). */
  address(id: number): string {
    const a = this.#addresses[id];
    if (a === undefined) throw new RangeError(`no instance id ${id}`);
    return a;
  }

  /** The id of an instance address, or undefined. O(1) after the first call builds the map (O(n)). */
  idOf(address: string): number | undefined {
    if (!this.#ids) {
      // NOTE: built lazily so a snapshot load that only answers id-based queries never pays for the map.
      const ids = new Map<string, number>();
      this.#addresses.forEach((a, i) => ids.set(a, i));
      this.#ids = ids;
    }
    return this.#ids.get(address);
  }

  /** What the loader recorded about `id`. O(1). */
  record(id: number): InstanceRecord {
    let r = this.#records[id];
    if (r === undefined && this.#recordOf && Number.isInteger(id) && id >= 0 && id < this.size) {
      r = this.#recordOf(id);
      this.#records[id] = r;
    }
    if (r === undefined) throw new RangeError(`no instance id ${id}`);
    return r;
  }

  /** Dependencies of `id` (a view into the CSR array, not a copy). O(1). */
  upstreamOf(id: number): Uint32Array {
    return this.upTargets.subarray(this.upOffsets[id], this.upOffsets[id + 1]);
  }

  /** Dependents of `id` (a view into the CSR array, not a copy). O(1). */
  downstreamOf(id: number): Uint32Array {
    return this.downTargets.subarray(this.downOffsets[id], this.downOffsets[id + 1]);
  }

  /** Number of dependency edges. */
  get edgeCount(): number {
    return this.upTargets.length;
  }
}
