// A consumer's apply acknowledges its producers on the server: when a lock for an apply is granted on a state, the
// current version of each of its producers is recorded (`state_edge_reads`); a write under that lock acknowledges
// the incoming edges with the producers' output fingerprints AT THOSE VERSIONS. Guarantees: conservative: the
// consumer reads its producers after the grant, so a producer write in between leaves the edge dirty, never clean.

import type pg from 'pg';
import type { LockInfo } from '../lock/lock-info.js';
import { outputFingerprint } from './output-fingerprint.js';

/** The LockInfo.Operation of an apply (Terraform's and velocity's); plans, refreshes and imports acknowledge nothing. */
export const APPLY_OPERATION = 'OperationTypeApply';

type Queryable = pg.Pool | pg.PoolClient;

/**
 * After lock `lockId` was granted on consumer `guid`: records its producers' current versions when `info` is an
 * apply (a renewal by the same id keeps the first record), and forgets the records of the consumer's locks that are
 * no longer live. O(incoming edges + dead records). `s` is a checked schema name.
 */
export async function recordLockReads(q: Queryable, s: string, guid: string, lockId: string, info: LockInfo): Promise<void> {
  if (info.Operation !== APPLY_OPERATION) return;
  await q.query(
    `WITH dead AS (
       DELETE FROM ${s}.state_edge_reads r
        WHERE r.consumer = $1::uuid AND r.lock_id <> $2::uuid
          AND NOT EXISTS (SELECT 1 FROM ${s}.resource_locks l WHERE l.namespace = $3 AND l.lock_id = r.lock_id AND l.expires_at > now()))
     INSERT INTO ${s}.state_edge_reads (lock_id, consumer, producer, producer_version)
     SELECT DISTINCT $2::uuid, $1::uuid, e.producer, p.current_version
       FROM ${s}.state_edges e JOIN ${s}.states p ON p.guid = e.producer
      WHERE e.consumer = $1::uuid
     ON CONFLICT DO NOTHING`,
    [guid, lockId, guid],
  );
}

/**
 * In a write's transaction on consumer `guid` under lock `lockId`: each incoming edge recorded at the grant observes
 * its producer's output fingerprint at the recorded version (an output missing there is left as it is). Returns how
 * many edges changed. Two statements, O(recorded edges + their outputs' sizes); nothing for a write without an
 * apply lock.
 */
export async function acknowledgeLockReads(q: Queryable, s: string, guid: string, lockId: string): Promise<number> {
  const rows = (
    await q.query<{ producer: string; output: string; value: unknown }>(
      `SELECT e.producer, e.output, o.output->'value' AS value
         FROM ${s}.state_edge_reads r
         JOIN ${s}.state_edges e ON e.consumer = r.consumer AND e.producer = r.producer
         -- NOTE: coalesce, not "to_version IS NULL OR ...": with the OR the planner ORs in the partial index of every
         -- state's current outputs, a scan of all of them per edge (81 ms for 200 edges at 2,000 states, bench:deps).
         JOIN ${s}.state_outputs o ON o.state_guid = r.producer AND o.name = e.output
                                   AND o.from_version <= r.producer_version AND coalesce(o.to_version, 9223372036854775807) > r.producer_version
        WHERE r.lock_id = $2::uuid AND r.consumer = $1::uuid`,
      [guid, lockId],
    )
  ).rows;
  return observeOutputs(q, s, guid, rows);
}

/**
 * Consumer `guid`'s incoming edges from (producer guid, output) observe the fingerprint of `value`; both kinds of
 * acknowledgement (by an apply's write, and `deps ack`) end here. Returns how many edges changed. One statement,
 * O(rows + their values' sizes).
 */
export async function observeOutputs(q: Queryable, s: string, guid: string, rows: readonly { readonly producer: string; readonly output: string; readonly value: unknown }[]): Promise<number> {
  if (rows.length === 0) return 0;
  // NOTE: one UPDATE for every edge (arrays unnested), not one per edge: a write's transaction holds its locks
  // while it runs, and per-edge round trips made a 40-edge consumer's write 3x slower (bench:deps).
  const u = await q.query(
    `UPDATE ${s}.state_edges e SET observed = v.fp
       FROM unnest($2::uuid[], $3::text[], $4::text[]) AS v(producer, output, fp)
      WHERE e.producer = v.producer AND e.output = v.output AND e.consumer = $1::uuid AND e.observed IS DISTINCT FROM v.fp`,
    [guid, rows.map((r) => r.producer), rows.map((r) => r.output), rows.map((r) => outputFingerprint(r.value))],
  );
  return u.rowCount ?? 0;
}

/** Lock `lockId` was released: its records go. O(its records). */
export async function forgetLockReads(q: Queryable, s: string, lockId: string): Promise<void> {
  await q.query(`DELETE FROM ${s}.state_edge_reads WHERE lock_id = $1::uuid`, [lockId]);
}
