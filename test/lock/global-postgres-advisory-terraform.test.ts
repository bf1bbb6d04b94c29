// Velocity's pg-backend lock and a real `terraform` using `backend "pg"` on the same database and schema exclude
// each other, both ways.
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import { GlobalFallbackLockManager } from '../../src/lock/global-fallback-lock-manager.js';
import { PostgresAdvisoryLockAdapter } from '../../src/lock/postgres-advisory-lock-adapter.js';
import { newLockInfo } from '../../src/lock/lock-info.js';
import { LockConflictError } from '../../src/lock/lock-errors.js';
import { freshDatabase, sql } from './helpers/pg-test-schema.js';
import { hasTerraform, makeWorkspace, waitFor, type Workspace } from './helpers/terraform-workspace.js';

describe.runIf(hasTerraform)('pg backend lock vs real terraform', () => {
  let ws: Workspace;
  let db: { url: string; drop(): Promise<void> };
  const schema = 'tf_state';
  beforeAll(async () => {
    db = await freshDatabase(inject('pgUrl'));
    const connStr = new URL(db.url);
    connStr.searchParams.set('sslmode', 'disable');
    ws = await makeWorkspace(`  backend "pg" {\n    conn_str = "${connStr.toString()}"\n    schema_name = "${schema}"\n  }`, 3);
    const init = await ws.run(['init', '-input=false', '-no-color']);
    expect(init.code, init.stderr).toBe(0);
  });
  afterAll(async () => {
    await ws.dispose();
    await db.drop();
  });

  const manager = () => new GlobalFallbackLockManager(new PostgresAdvisoryLockAdapter({ connectionString: db.url, schemaName: schema }));
  const advisoryHeld = async () =>
    Number((await sql<{ n: string }>(db.url, "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"))[0]?.n ?? 0);

  it('terraform apply holding the lock → LockConflictError naming terraform’s session', async () => {
    const apply = ws.start(['apply', '-auto-approve', '-input=false', '-no-color']);
    await waitFor(async () => (await advisoryHeld()) > 0, 20_000, 'terraform to take its advisory lock');
    const m = manager();
    const err = await m.lockResources(['terraform_data.slow'], newLockInfo()).catch((e: unknown) => e);
    const listed = await m.locks();
    const result = await apply.done;
    expect(result.code, result.stderr).toBe(0);
    expect(err).toBeInstanceOf(LockConflictError);
    const conflict = err as LockConflictError;
    expect(conflict.holder.Who).toMatch(/^postgres@127\.0\.0\.1$/);
    expect(conflict.holder.Info).toMatch(/PostgreSQL session pid \d+/);
    expect(conflict.overlapping).toEqual(['terraform_data.slow']);
    expect(listed).toHaveLength(1);
    // Released by terraform: velocity takes it now (the workspace row exists after the apply).
    expect(await sql(db.url, `SELECT name FROM ${schema}.states`)).toEqual([{ name: 'default' }]);
    const h = await m.lockResources(['terraform_data.slow'], newLockInfo());
    await h.unlock();
  });

  it('velocity holding the lock → terraform plan -lock-timeout=0s fails with "Error acquiring the state lock"', async () => {
    const m = manager();
    const info = newLockInfo({ operation: 'velocity lock' });
    const h = await m.lockResources(['terraform_data.slow'], info);
    expect((await manager().locks()).map((l) => l.id)).toEqual([info.ID]);
    const blocked = await ws.run(['plan', '-lock-timeout=0s', '-input=false', '-no-color']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('Error acquiring the state lock');
    await h.unlock();
    expect(await advisoryHeld()).toBe(0);
    const free = await ws.run(['plan', '-lock-timeout=0s', '-input=false', '-no-color']);
    expect(free.code, free.stderr).toBe(0);
  });
});
