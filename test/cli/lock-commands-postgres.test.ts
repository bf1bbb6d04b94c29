// `velocity lock / locks / unlock` on PostgreSQL: a lock taken by one command outlives it and is released by another;
// a database that is down is a typed error.
import { describe, it, expect, inject } from 'vitest';
import { runCli } from '../support/cli-harness.js';
import { dropSchema, freshSchema } from '../lock/helpers/pg-test-schema.js';

describe('velocity lock/locks/unlock (postgres backend)', () => {
  it('holds a lock across commands until `velocity unlock`', async () => {
    const url = inject('pgUrl');
    const schema = freshSchema('cli');
    const pgArgs = ['--lock-backend', 'postgres', '--schema', schema, '--lease', '10m'];
    const env = { DATABASE_URL: url };
    const a = await runCli(['lock', 'terraform_data.a', 'terraform_data.b', ...pgArgs, '--operation', 'deploy', '--json'], { env });
    expect(a.code, a.stderr).toBe(0);
    const lock = JSON.parse(a.stdout) as { id: string; expiresAt: string };
    expect(Date.parse(lock.expiresAt)).toBeGreaterThan(Date.now() + 9 * 60_000);
    const b = await runCli(['lock', 'terraform_data.b', 'terraform_data.c', ...pgArgs], { env });
    expect(b.stderr).toContain('error[LOCK_CONFLICT]');
    const listed = JSON.parse((await runCli(['locks', ...pgArgs, '--json'], { env })).stdout) as { id: string; resources: string[]; info: { Operation: string } }[];
    expect(listed).toEqual([expect.objectContaining({ id: lock.id, resources: ['terraform_data.a', 'terraform_data.b'], info: expect.objectContaining({ Operation: 'deploy' }) })]);
    expect((await runCli(['unlock', lock.id, ...pgArgs], { env })).code).toBe(0);
    expect((await runCli(['locks', ...pgArgs], { env })).stdout).toBe('no locks held\n');
    await dropSchema(url, schema);
  });

  it('a database that is down → error[LOCK_BACKEND_UNAVAILABLE], exit 1', async () => {
    const r = await runCli(['locks', '--lock-backend', 'postgres', '--database-url', 'postgres://postgres:x@127.0.0.1:9/postgres']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[LOCK_BACKEND_UNAVAILABLE]');
  });
});
