// A plain terraform client on `velocity serve`: init, plan, apply, and `state pull` gives back exactly the document
// terraform pushed (as a JSON value: key order and whitespace aside), rebuilt from rows (instances, outputs,
// dependencies), and a second plan shows no changes.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tfBinary } from '../support/terraform-env.js';
import { tfOk, tfRun } from '../support/terraform-run.js';
import { sql } from '../lock/helpers/pg-test-schema.js';
import { SAMPLE_BLOCKS, serveEnv, startServeFixture, type ServeFixture } from './helpers/serve-fixture.js';

describe.runIf(tfBinary !== undefined)('terraform apply and state pull through velocity serve (skipped only when no tofu/terraform binary)', () => {
  let fx: ServeFixture;
  beforeAll(async () => {
    fx = await startServeFixture(inject('pgUrl'));
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('stores terraform’s pushes as rows and serves them back equal', async () => {
    const guid = await fx.newState('apply-pull');
    const dir = fx.workspace(guid, SAMPLE_BLOCKS);
    const env = serveEnv();
    await tfOk(dir, ['init', '-input=false', '-no-color'], env);
    const plan = await tfRun(dir, ['plan', '-input=false', '-no-color', '-detailed-exitcode'], env);
    expect(plan.code, plan.stderr).toBe(2);
    await tfOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color'], env);
    const pulled = await tfOk(dir, ['state', 'pull'], env);
    const doc = JSON.parse(pulled) as { serial: number; resources: { instances: { dependencies?: string[] }[] }[]; outputs: Record<string, unknown> };
    expect(doc.resources.map((r) => (r as unknown as { name: string }).name)).toEqual(['a', 'b', 'm', 'n']);
    const last = (await fx.store.history(guid)).at(-1);
    expect(last?.serial).toBe(doc.serial);
    // Rows, not a blob: 1 + 1 + 2 + 2 instances, b's dependency, the output.
    const rows = await sql<{ n: string }>(fx.pgUrl, `SELECT count(*) AS n FROM ${fx.schema}.state_instances WHERE state_guid = $1 AND to_version IS NULL`, [guid]);
    expect(Number(rows[0]?.n)).toBe(6);
    const deps = await sql<{ depends_on: string }>(fx.pgUrl, `SELECT d.depends_on FROM ${fx.schema}.instance_dependencies d JOIN ${fx.schema}.state_instances i ON i.id = d.instance_id WHERE i.state_guid = $1 AND i.to_version IS NULL AND i.name = 'b'`, [guid]);
    expect(deps.map((d) => d.depends_on)).toEqual(['terraform_data.a']);
    const again = await tfRun(dir, ['plan', '-input=false', '-no-color', '-detailed-exitcode'], env);
    expect(again.code, again.stderr + again.stdout).toBe(0);
  });
});
