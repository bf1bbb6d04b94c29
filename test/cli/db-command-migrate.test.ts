// `velocity db migrate up|down|status` on a real PostgreSQL (DATABASE_URL, a fresh --schema): up creates the lock
// and serve tables, status reports them, down undoes serve migrations newest first (the tables go, the lock table
// stays), and up again restores them; a bad sub-command is a usage error.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../support/cli-harness.js';
import { dropSchema, freshSchema, sql } from '../lock/helpers/pg-test-schema.js';

describe('velocity db migrate', () => {
  const url = inject('pgUrl');
  const schema = freshSchema('dbcli');
  const env = { DATABASE_URL: url };
  afterAll(async () => {
    await dropSchema(url, schema);
  });
  const tables = async (): Promise<string[]> =>
    (await sql<{ t: string }>(url, `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema])).map((r) => r.t);

  it('goes up, down and up again', async () => {
    const up = await runCli(['db', 'migrate', 'up', '--schema', schema], { env });
    expect(up, up.stderr).toMatchObject({ code: 0, stdout: 'locks: applied 1, 2, 3\nserve: applied 1, 2, 3, 4, 5\n' });
    expect(await tables()).toEqual(['instance_dependencies', 'resource_locks', 'schema_migrations', 'state_edge_reads', 'state_edges', 'state_instances', 'state_outputs', 'state_versions', 'states']);
    expect((await runCli(['db', 'migrate', 'status', '--schema', schema], { env })).stdout).toBe('locks: at 3 of 3\nserve: at 5 of 5\n');
    const down = await runCli(['db', 'migrate', 'down', '--steps', '5', '--schema', schema], { env });
    expect(down, down.stderr).toMatchObject({ code: 0, stdout: 'serve: undid 5, 4, 3, 2, 1\n' });
    expect(await tables()).toEqual(['resource_locks', 'schema_migrations']);
    expect((await runCli(['db', 'migrate', 'status', '--schema', schema, '--json'], { env })).stdout).toBe('[{"component":"locks","applied":[1,2,3],"known":3},{"component":"serve","applied":[],"known":5}]\n');
    expect((await runCli(['db', 'migrate', 'down', '--schema', schema], { env })).stdout).toBe('serve: nothing to undo\n');
    expect((await runCli(['db', 'migrate', 'up', '--schema', schema], { env })).stdout).toBe('locks: up to date\nserve: applied 1, 2, 3, 4, 5\n');
    expect(await tables()).toContain('states');
    const bad = await runCli(['db', 'migrate', 'sideways'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('migrate sideways');
  });
});
