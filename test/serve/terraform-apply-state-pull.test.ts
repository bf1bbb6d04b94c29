// A plain terraform client on `velocity serve`: init, plan, apply, and every document terraform pushed comes back,
// rebuilt from rows (instances, outputs, dependencies), as the same JSON value (object key order and whitespace
// aside): the version of each push by `GET`-ing history, the last one by `terraform state pull`; a second plan
// shows no changes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { backendBlock } from '../../src/serve/backend-block.js';
import { tfBinary } from '../support/terraform-env.js';
import { tfOk, tfRun } from '../support/terraform-run.js';
import { sql } from '../lock/helpers/pg-test-schema.js';
import { SAMPLE_BLOCKS, recordingProxy, serveEnv, startServeFixture, type ServeFixture } from './helpers/serve-fixture.js';

describe.runIf(tfBinary !== undefined)('terraform apply and state pull through velocity serve (skipped only when no tofu/terraform binary)', () => {
  let fx: ServeFixture;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  beforeAll(async () => {
    fx = await startServeFixture(inject('pgUrl'));
    proxy = await recordingProxy(fx.server.url);
  });
  afterAll(async () => {
    await proxy?.close();
    await fx?.close();
  });

  it('serves back exactly what terraform pushed, from rows', async () => {
    const guid = await fx.newState('apply-pull');
    const dir = fx.workspace(guid, SAMPLE_BLOCKS);
    writeFileSync(join(dir, 'backend.tf'), backendBlock(proxy.url, guid));
    const env = serveEnv();
    await tfOk(dir, ['init', '-input=false', '-no-color'], env);
    const plan = await tfRun(dir, ['plan', '-input=false', '-no-color', '-detailed-exitcode'], env);
    expect(plan.code, plan.stderr).toBe(2);
    await tfOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color'], env);
    const pulled = await tfOk(dir, ['state', 'pull'], env);

    expect(proxy.writes.length).toBeGreaterThan(0);
    const history = await fx.store.history(guid);
    expect(history.length).toBe(proxy.writes.length);
    for (const [i, body] of proxy.writes.entries()) {
      let text = '';
      await fx.store.read(guid, (c) => void (text += c), history[i]?.version);
      expect(JSON.parse(text), `push ${i + 1}`).toEqual(JSON.parse(body.toString('utf8')));
    }
    expect(JSON.parse(pulled)).toEqual(JSON.parse((proxy.writes.at(-1) as Buffer).toString('utf8')));

    // Rows, not a blob: 1 + 1 + 2 + 2 instances, b's dependency, the output.
    const rows = await sql<{ n: string }>(fx.pgUrl, `SELECT count(*) AS n FROM ${fx.schema}.state_instances WHERE state_guid = $1 AND to_version IS NULL`, [guid]);
    expect(Number(rows[0]?.n)).toBe(6);
    const deps = await sql<{ depends_on: string }>(fx.pgUrl, `SELECT d.depends_on FROM ${fx.schema}.instance_dependencies d JOIN ${fx.schema}.state_instances i ON i.id = d.instance_id WHERE i.state_guid = $1 AND i.to_version IS NULL AND i.name = 'b'`, [guid]);
    expect(deps.map((d) => d.depends_on)).toEqual(['terraform_data.a']);
    const outputs = await sql<{ name: string }>(fx.pgUrl, `SELECT name FROM ${fx.schema}.state_outputs WHERE state_guid = $1 AND to_version IS NULL`, [guid]);
    expect(outputs.map((o) => o.name)).toEqual(['a']);
    const again = await tfRun(dir, ['plan', '-input=false', '-no-color', '-detailed-exitcode'], env);
    expect(again.code, again.stderr + again.stdout).toBe(0);
  });
});
