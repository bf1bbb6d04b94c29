// K client processes lock random overlapping address sets (drawn by fast-check, mixing resource instances,
// resources, module instances and module calls) on one PostgreSQL in a loop, and a victim process is killed while
// holding a lock. Audited: no two handles ever hold overlapping addresses at once, every acquisition is
// all-or-nothing, the victim's addresses are taken over once its lease expires, and no live lock row is left.
// Then the same through the real CLI (node bin/velocity.js over dist/: `npm run build` first) on the DEFAULT
// embedded backend: parallel `velocity lock` / `unlock` processes that race to start one shared server, every
// call's exit code checked, the same auditor.
import { describe, it, expect, inject } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import fc from 'fast-check';
import { PostgresResourceLockManager } from '../../src/lock/postgres-resource-lock-manager.js';
import { newLockInfo } from '../../src/lock/lock-info.js';
import { dropSchema, freshSchema, sql } from './helpers/pg-test-schema.js';
import { AUDIT_TABLE_SQL, unwitness, witness } from './helpers/overlap-auditor.js';
import { embeddedPostgresLayout } from '../../src/lock/embedded-postgres-layout.js';
import { stopEmbeddedPostgres } from '../../src/lock/stop-embedded-postgres.js';
import { runVelocityBin } from '../support/built-package.js';
import { repoRoot } from '../support/paths.js';

const CLIENT = resolve(import.meta.dirname, 'helpers/stress-client.ts');
const K = 4;
const LEASE_MS = 1500;
// Every address form, nested several ways (and a key with a dot): most pairs overlap through containment, not equality.
const POOL = [
  'module.c',
  'module.c["k0"]',
  'module.c["k1"]',
  'module.c["k0"].terraform_data.r',
  'module.c["k0"].terraform_data.r[0]',
  'module.c["k0"].terraform_data.r[1]',
  'module.c["k1"].terraform_data.r',
  'module.c["k1"].terraform_data.r[2]',
  'module.c["k.2"]',
  'module.c["k.2"].terraform_data.r["a.b"]',
  'terraform_data.zz',
  'terraform_data.zz[0]',
  'terraform_data.zz[1]',
  'data.terraform_data.zz',
];

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
    await sql(url, AUDIT_TABLE_SQL(`${schema}.audit_holds`));

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
    expect(stats.reduce((n, s) => n + s.acquired, 0)).toBeGreaterThan(30);
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

  it('through the CLI on the default embedded backend: parallel lock/unlock, exit codes, no overlapping grants', async () => {
    const url = inject('pgUrl'); // the auditor's database only; the locks live in the CLI's own embedded server
    const auditSchema = freshSchema('cliaudit');
    await sql(url, `CREATE SCHEMA ${auditSchema}`);
    await sql(url, AUDIT_TABLE_SQL(`${auditSchema}.audit_holds`));
    const table = `${auditSchema}.audit_holds`;
    const home = await mkdtemp(join(tmpdir(), 'velocity-home-')); // 0700, and no server running there yet
    const dataDir = join(home, '.velocity', 'postgres');
    const velocity = (args: readonly string[]) => runVelocityBin(args, { cwd: repoRoot, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home } });
    const WORKERS = 4;
    const ROUNDS = 5;
    const sets = fc.sample(fc.array(fc.subarray(POOL, { minLength: 1, maxLength: 2 }), { minLength: ROUNDS, maxLength: ROUNDS }), { numRuns: WORKERS, seed: 7 });
    const bad: string[] = [];
    let granted = 0;
    let refused = 0;
    let violations = 0;
    const worker = async (mine: string[][]) => {
      const audit = new pg.Client({ connectionString: url });
      await audit.connect();
      try {
        for (const set of mine) {
          const r = await velocity(['lock', ...set, '--json', '--wait', '300ms']);
          if (r.code === 1 && /error\[LOCK_(CONFLICT|TIMEOUT)\]/.test(r.stderr) && r.stdout === '') {
            refused++;
            continue;
          }
          if (r.code !== 0) {
            bad.push(`lock ${set.join(' ')}: exit ${r.code}: ${r.stderr.trim()}`);
            continue;
          }
          if (r.stdout === '') {
            bad.push(`lock ${set.join(' ')}: exit 0 without output: ${r.stderr.trim()}`);
            continue;
          }
          const { id, resources } = JSON.parse(r.stdout) as { id: string; resources: string[] };
          granted++;
          const ok = await witness(audit, table, id, resources);
          if (!ok) violations++;
          await new Promise((res) => setTimeout(res, 50));
          if (ok) await unwitness(audit, table, id);
          const u = await velocity(['unlock', id]);
          if (u.code !== 0) bad.push(`unlock ${id}: exit ${u.code}: ${u.stderr.trim()}`);
        }
      } finally {
        await audit.end();
      }
    };
    try {
      await Promise.all(sets.map((mine) => worker(mine)));
      expect(bad).toEqual([]);
      expect(violations).toBe(0);
      expect(granted + refused).toBe(WORKERS * ROUNDS);
      expect(granted).toBeGreaterThan(0);
      const left = await velocity(['locks', '--json']);
      expect([left.code, left.stdout]).toEqual([0, '[]\n']);
    } finally {
      await stopEmbeddedPostgres(dataDir);
      const { dataDir: served } = await embeddedPostgresLayout(dataDir);
      for (const p of [home, served, `${served}.lock`, `${served}.log`]) await rm(p, { recursive: true, force: true });
      await dropSchema(url, auditSchema);
    }
  });
});
