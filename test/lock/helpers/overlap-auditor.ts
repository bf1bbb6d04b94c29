// Test auditor for the stress tests: while a client believes it holds a lock, it records a witness row per address in
// an audit table (on any PostgreSQL). Recording takes the table's lock, reads every live witness and counts a
// violation when one overlaps (contains or is contained by, see address-containment.ts) an address being recorded
// under another lock id: two overlapping grants held at the same time.
import type pg from 'pg';
import { overlaps } from './address-containment.js';

export const AUDIT_TABLE_SQL = (table: string): string => `CREATE TABLE ${table} (address text NOT NULL, lock_id uuid NOT NULL)`;

/** Records `addresses` as held by `lockId`. Returns false (and records nothing) when a live witness overlaps them. */
export async function witness(client: pg.Client, table: string, lockId: string, addresses: readonly string[]): Promise<boolean> {
  await client.query('BEGIN');
  try {
    await client.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
    const held = (await client.query<{ address: string; lock_id: string }>(`SELECT address, lock_id::text FROM ${table}`)).rows;
    const clash = held.some((h) => h.lock_id !== lockId && addresses.some((a) => overlaps(a, h.address)));
    if (!clash) await client.query(`INSERT INTO ${table} (address, lock_id) SELECT unnest($1::text[]), $2`, [addresses, lockId]);
    await client.query('COMMIT');
    return !clash;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** Removes the witnesses of `lockId` (before its unlock). */
export async function unwitness(client: pg.Client, table: string, lockId: string): Promise<void> {
  await client.query(`DELETE FROM ${table} WHERE lock_id = $1`, [lockId]);
}
