// K client processes lock random overlapping resource sets (drawn by fast-check) on one PostgreSQL in a loop, and a
// victim process is killed while holding a lock. Audited: no resource is ever held by two handles at once, every
// acquisition is all-or-nothing, the victim's resources are taken over once its lease expires, and after the run
// no live lock row is left.
import { describe, it, expect, inject } from 'vitest';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { PostgresResourceLockManager } from '../../src/lock/postgres-resource-lock-manager.js';
import { newLockInfo } from '../../src/lock/lock-info.js';
import { dropSchema, freshSchema, sql } from './helpers/pg-test-schema.js';

const CLIENT = resolve(import.meta.dirname, 'helpers/stress-client.ts');
const K = 4;
const LEASE_MS = 1500;
const POOL = Array.from({ length: 12 }, (_, i) => `module.c["k${i % 3}"].terraform_data.r[${i}]`);

function startClient(job: object): { done: Promise<string>; kill(): void; firstLine: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLIENT, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let onLine: (l: string) => void = () => {};
  const firstLine = new Promise<string>((r) => (onLine = r));
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    if (out.includes('\n')) onLine(out.slice(0, out.indexOf('\n')));
  });
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const done = new Promise<string>((ok, fail) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 || signal === 'SIGKILL') ok(out);
      else fail(new Error(`client exited ${code}: ${err}`));
    }),
  );
  return { done, firstLine, kill: () => child.kill('SIGKILL') };
}

describe('PostgresResourceLockManager under concurrent processes', () => {
  it('never lets two handles hold a resource, is all-or-nothing, and leaves no live rows', async () => {
    const url = inject('pgUrl');
    const schema = freshSchema('stress');
    const setup = await PostgresResourceLockManager.open({ connectionString: url, schema });
    await setup.close();
    await sql(url, `CREATE TABLE ${schema}.audit_holds (address text PRIMARY KEY, lock_id uuid NOT NULL)`);

    // The victim holds three resources and is killed; the clients' sets overlap it and each other.
    const victimSet = POOL.slice(0, 3);
    const victim = startClient({ url, schema, leaseMs: LEASE_MS, durationMs: 0, holdMs: 0, sets: [victimSet], mode: 'victim' });
    const holding = JSON.parse((await victim.firstLine).replace(/^HOLDING /, '')) as { id: string };
    victim.kill();
    await victim.done;
    const killedAt = Date.now();

    const setsArb = fc.array(fc.subarray(POOL, { minLength: 1, maxLength: 4 }), { minLength: 20, maxLength: 20 });
    const jobs = fc.sample(setsArb, { numRuns: K, seed: 42 }).map((sets) => ({ url, schema, leaseMs: LEASE_MS, durationMs: 6000, holdMs: 2, sets, mode: 'client' }));
    const outputs = await Promise.all(jobs.map((j) => startClient(j).done));
    const stats = outputs.map((o) => JSON.parse(o.trim().split('\n').pop() ?? '{}') as { acquired: number; conflicts: number; violations: number; partial: number; errors: string[] });

    expect(stats.flatMap((s) => s.errors)).toEqual([]);
    expect(stats.reduce((n, s) => n + s.violations, 0)).toBe(0);
    expect(stats.reduce((n, s) => n + s.partial, 0)).toBe(0);
    expect(stats.reduce((n, s) => n + s.acquired, 0)).toBeGreaterThan(50);
    expect(stats.reduce((n, s) => n + s.conflicts, 0)).toBeGreaterThan(0);
    // The killed victim's rows were taken over by the clients after its lease ran out.
    expect(await sql(url, `SELECT * FROM ${schema}.resource_locks WHERE lock_id = $1`, [holding.id])).toEqual([]);
    expect(Date.now() - killedAt).toBeGreaterThan(LEASE_MS);
    // Nothing live is left, and nothing at all once expired rows are purged.
    expect(await sql(url, `SELECT * FROM ${schema}.resource_locks WHERE expires_at > now()`)).toEqual([]);
    const m = await PostgresResourceLockManager.open({ connectionString: url, schema });
    await m.purgeExpired();
    expect(await sql(url, `SELECT * FROM ${schema}.resource_locks`)).toEqual([]);
    expect(await sql(url, `SELECT * FROM ${schema}.audit_holds`)).toEqual([]);
    const all = await m.lockResources(POOL, newLockInfo());
    await all.unlock();
    await m.close();
    await dropSchema(url, schema);
  });
});
