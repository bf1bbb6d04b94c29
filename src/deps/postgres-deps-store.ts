// The dependency graph of a velocity server's states, in PostgreSQL (`state_edges`, serve migration 4): edges by
// state guid, named by logic id; producer fingerprints derived from the current output rows, so every producer
// write through `velocity serve` is seen at once. Guarantees: the trigger refuses a cycle even between racing
// connections (typed DepsCycleError naming it); the library check runs first for a clear message.

import { LRUCache } from 'lru-cache';
import type pg from 'pg';
import { DepsCycleError, DepsEdgeExistsError, DepsEdgeNotFoundError, DepsInputError } from './deps-errors.js';
import { DepsGraph, type DepEdge } from './deps-graph.js';
import { DEPS_CYCLE_SQLSTATE } from './deps-migration.js';
import { observeOutputs } from './lock-reads.js';
import { outputFingerprint } from './output-fingerprint.js';

export class PostgresDepsStore {
  readonly #pool: pg.Pool;
  readonly #s: string;
  /**
   * Output row id -> fingerprint of its value. NOTE: rows are immutable (a write closes a row and inserts a new one),
   * so a cached fingerprint never goes stale; without it every graph read re-hashed every producer output
   * (bench:deps). Bounded; a miss costs one read of the row.
   */
  readonly #fingerprints = new LRUCache<string, string>({ max: 200_000 });

  /** @param schema the server's schema (already migrated) */
  constructor(pool: pg.Pool, schema: string) {
    this.#pool = pool;
    this.#s = schema;
  }

  async #guid(logicId: string): Promise<string> {
    const r = await this.#pool.query<{ guid: string }>(`SELECT guid FROM ${this.#s}.states WHERE logic_id = $1 OR guid::text = lower($1)`, [logicId]);
    const guid = r.rows[0]?.guid;
    if (guid === undefined) throw new DepsInputError(`no state ${JSON.stringify(logicId)} on this server`);
    return guid;
  }

  /** The logic id of a state named by logic id or guid. O(1). @throws DepsInputError (unknown state) */
  async logicId(name: string): Promise<string> {
    const guid = await this.#guid(name);
    return (await this.#pool.query<{ logic_id: string }>(`SELECT logic_id FROM ${this.#s}.states WHERE guid = $1`, [guid])).rows[0]?.logic_id ?? name;
  }

  /**
   * The whole graph: edges named by logic id, each producer's snapshot from its current outputs. O(edges + outputs
   * of the producers), plus reading and hashing the values of output rows this store has not fingerprinted yet.
   */
  async graph(): Promise<DepsGraph> {
    const s = this.#s;
    const edges = (
      await this.#pool.query<{ producer: string; output: string; consumer: string; input: string; observed: string | null; mock: unknown; has_mock: boolean }>(
        // NOTE: a mock of JSON null is a jsonb 'null', which reads back as null like no mock: has_mock tells them apart.
        `SELECT p.logic_id AS producer, e.output, c.logic_id AS consumer, e.input, e.observed, e.mock, e.mock IS NOT NULL AS has_mock
           FROM ${s}.state_edges e JOIN ${s}.states p ON p.guid = e.producer JOIN ${s}.states c ON c.guid = e.consumer`,
      )
    ).rows;
    // NOTE: one bulk load (O(E log E)), not E adds (O(E²)); the table is acyclic by its trigger, checked again anyway.
    const g = DepsGraph.ofEdges(edges.map((e) => ({ producer: e.producer, output: e.output, consumer: e.consumer, input: e.input, observed: e.observed, ...(e.has_mock ? { mock: e.mock } : {}) })));
    const outputs = (
      await this.#pool.query<{ logic_id: string; serial: string; lineage: string; id: string | null; name: string | null }>(
        `SELECT st.logic_id, v.serial, v.lineage, o.id, o.name
           FROM ${s}.states st
           JOIN ${s}.state_versions v ON v.state_guid = st.guid AND v.version = st.current_version
           LEFT JOIN ${s}.state_outputs o ON o.state_guid = st.guid AND o.to_version IS NULL
          WHERE st.guid IN (SELECT producer FROM ${s}.state_edges)`,
      )
    ).rows;
    // Only the values of output rows never fingerprinted before are read and hashed (a row's value never changes).
    // This read's own map: the cache may evict entries while it is filled.
    const fingerprints = new Map<string, string>();
    const missing: string[] = [];
    for (const r of outputs) {
      if (r.id === null) continue;
      const cached = this.#fingerprints.get(r.id);
      if (cached === undefined) missing.push(r.id);
      else fingerprints.set(r.id, cached);
    }
    if (missing.length > 0) {
      const values = (await this.#pool.query<{ id: string; value: unknown }>(`SELECT id, output->'value' AS value FROM ${s}.state_outputs WHERE id = ANY($1::bigint[])`, [missing])).rows;
      for (const r of values) {
        const fp = outputFingerprint(r.value);
        fingerprints.set(r.id, fp);
        this.#fingerprints.set(r.id, fp);
      }
    }
    const readAt = new Date().toISOString();
    const byState = new Map<string, { serial: number; lineage: string; outputs: Record<string, string>; readAt: string }>();
    for (const r of outputs) {
      const at = byState.get(r.logic_id) ?? { serial: Number(r.serial), lineage: r.lineage, outputs: {}, readAt };
      const fp = r.id === null ? undefined : fingerprints.get(r.id);
      if (fp !== undefined && r.name !== null) at.outputs[r.name] = fp;
      byState.set(r.logic_id, at);
    }
    for (const [name, snap] of [...byState].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      snap.outputs = Object.fromEntries(Object.entries(snap.outputs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      g.observeProducer(name, snap);
    }
    return g;
  }

  /**
   * Adds an edge between two states of the server (logic ids or guids). O(edges) for the checks.
   * @throws DepsInputError (unknown state), DepsEdgeExistsError, DepsCycleError
   */
  async add(edge: { readonly producer: string; readonly output: string; readonly consumer: string; readonly input?: string; readonly mock?: unknown }): Promise<DepEdge> {
    const [producer, consumer] = [await this.#guid(edge.producer), await this.#guid(edge.consumer)];
    // The library's checks first (duplicates, cycle with its states named); the trigger holds against races.
    // NOTE: the graph names states by logic id, whichever way the caller named them.
    const full = (await this.graph()).add({ ...edge, producer: await this.logicId(producer), consumer: await this.logicId(consumer) });
    try {
      await this.#pool.query(`INSERT INTO ${this.#s}.state_edges (producer, output, consumer, input, mock) VALUES ($1, $2, $3, $4, $5)`, [producer, full.output, consumer, full.input, full.mock === undefined ? null : JSON.stringify(full.mock)]);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === '23505') throw new DepsEdgeExistsError(`${full.consumer} already reads ${full.producer}'s output ${full.output}, or already has an input ${full.input}`);
      if (code === DEPS_CYCLE_SQLSTATE) throw new DepsCycleError((await this.graph()).cycleWith(full.producer, full.consumer) ?? [full.producer, full.consumer, full.producer]);
      throw error;
    }
    return full;
  }

  /** Removes an edge. O(1). @throws DepsEdgeNotFoundError */
  async remove(producer: string, output: string, consumer: string): Promise<void> {
    const r = await this.#pool.query(`DELETE FROM ${this.#s}.state_edges WHERE producer = $1 AND output = $2 AND consumer = $3`, [await this.#guid(producer), output, await this.#guid(consumer)]);
    if ((r.rowCount ?? 0) === 0) throw new DepsEdgeNotFoundError(`no edge ${producer}.${output} -> ${consumer}`);
  }

  /**
   * The consumer applied: its incoming edges observe their producers' current outputs (an output that does not exist
   * is left as it is). Returns how many changed. O(incoming edges + their outputs' sizes). @throws DepsInputError
   */
  async acknowledge(consumer: string): Promise<number> {
    const guid = await this.#guid(consumer);
    const rows = (
      await this.#pool.query<{ producer: string; output: string; value: unknown }>(
        `SELECT e.producer, e.output, o.output->'value' AS value
           FROM ${this.#s}.state_edges e
           JOIN ${this.#s}.state_outputs o ON o.state_guid = e.producer AND o.name = e.output AND o.to_version IS NULL
          WHERE e.consumer = $1`,
        [guid],
      )
    ).rows;
    return observeOutputs(this.#pool, this.#s, guid, rows);
  }
}
