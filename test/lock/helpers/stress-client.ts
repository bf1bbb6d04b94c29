// One client of the multi-process stress test (run as its own process with `node --import tsx`). It loops over
// the lock sets it was given until its time is up, and audits every step:
//  - mutual exclusion: while holding, it records one witness row per address in `audit_holds` (overlap-auditor.ts)
//    and deletes them before unlocking; a live overlapping witness of another lock is a violation (two handles held
//    overlapping addresses, in any address form, at once);
//  - all-or-nothing: after a conflict no row carries its lock id; after success exactly one per resource does.
// Mode `victim`: takes one lock, prints HOLDING, and waits to be killed (its lease must then expire).
// Prints one JSON summary line on stdout.

import pg from 'pg';
import { PostgresResourceLockManager } from '../../../src/lock/postgres-resource-lock-manager.js';
import { newLockInfo } from '../../../src/lock/lock-info.js';
import { LockConflictError, LockTimeoutError } from '../../../src/lock/lock-errors.js';
import { unwitness, witness } from './overlap-auditor.js';

interface Job {
  url: string;
  schema: string;
  leaseMs: number;
  durationMs: number;
  holdMs: number;
  sets: string[][];
  mode: 'client' | 'victim';
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const manager = await PostgresResourceLockManager.open({ connectionString: job.url, schema: job.schema, leaseMs: job.leaseMs, maxConnections: 1 });
const audit = new pg.Client({ connectionString: job.url });
await audit.connect();

if (job.mode === 'victim') {
  const h = await manager.lockResources(job.sets[0] ?? [], newLockInfo({ operation: 'victim' }), { waitMs: 10_000 });
  process.stdout.write(`HOLDING ${JSON.stringify({ id: h.id, resources: h.resources })}\n`);
  await new Promise(() => {}); // killed by the parent
}

const stats = { acquired: 0, conflicts: 0, violations: 0, partial: 0, errors: [] as string[] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const end = Date.now() + job.durationMs;
for (let i = 0; Date.now() < end; i++) {
  const set = job.sets[i % job.sets.length] ?? [];
  const info = newLockInfo();
  try {
    const h = await manager.lockResources(set, info, { waitMs: 30 });
    stats.acquired++;
    const mine = await audit.query(`SELECT count(*)::int AS n FROM ${job.schema}.resource_locks WHERE lock_id = $1`, [h.id]);
    if (mine.rows[0].n !== h.resources.length) stats.partial++;
    const witnessed = await witness(audit, `${job.schema}.audit_holds`, h.id, h.resources);
    if (!witnessed) stats.violations++;
    if (job.holdMs > 0) await sleep(job.holdMs);
    if (witnessed) await unwitness(audit, `${job.schema}.audit_holds`, h.id);
    await h.unlock();
  } catch (error) {
    if (error instanceof LockConflictError || error instanceof LockTimeoutError) {
      stats.conflicts++;
      const left = await audit.query(`SELECT count(*)::int AS n FROM ${job.schema}.resource_locks WHERE lock_id = $1`, [info.ID]);
      if (left.rows[0].n !== 0) stats.partial++;
    } else {
      stats.errors.push(error instanceof Error ? error.message : String(error));
      if (stats.errors.length > 5) break;
    }
  }
}
await audit.end();
await manager.close();
process.stdout.write(`${JSON.stringify(stats)}\n`);
