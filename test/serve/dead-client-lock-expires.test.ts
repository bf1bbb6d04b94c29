// A plain client killed (SIGKILL) during `terraform apply` leaves its whole-state lock behind: until the lease
// (--lock-lease 15s) runs out another client's LOCK is 423 with the dead holder's lock info and `terraform apply`
// fails naming it; after the lease, `terraform apply` takes the state and succeeds.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { backendBlock } from '../../src/serve/backend-block.js';
import { dropSchema, freshSchema } from '../lock/helpers/pg-test-schema.js';
import { assertFreshBuild } from '../support/built-package.js';
import { tfBinary } from '../support/terraform-env.js';
import { tfOk, tfRun } from '../support/terraform-run.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { killGroup, startDetached, until } from '../support/velocity-child.js';
import { foreignLockInfo, serveEnv } from './helpers/serve-fixture.js';
import { spawnServe, type SpawnedServe } from './helpers/spawn-serve.js';
import { stateProblems } from './helpers/state-consistency.js';

/** A resource whose creation runs `sleep var.sleep` (terraform holds the lock meanwhile), and a quick one. */
const SLOW_CONFIG = [
  'variable "sleep" {\n  default = 0\n}',
  'resource "terraform_data" "quick" {\n  input = "q"\n}',
  'resource "terraform_data" "slow" {\n  input = "s"\n  provisioner "local-exec" {\n    command = "sleep ${var.sleep}"\n  }\n}',
].join('\n\n');

describe.runIf(tfBinary !== undefined)('the lock of a killed terraform apply expires by lease (skipped only when no tofu/terraform binary)', () => {
  const url = inject('pgUrl');
  const schema = freshSchema('deadlk');
  let s: SpawnedServe;
  let watch: pg.Client;
  let ws: TempWorkspace;
  beforeAll(async () => {
    assertFreshBuild();
    s = await spawnServe(url, schema, ['--lock-lease', '15s']);
    watch = new pg.Client({ connectionString: url });
    await watch.connect();
    ws = tempWorkspace();
  });
  afterAll(async () => {
    await s?.stop();
    await watch?.end();
    await dropSchema(url, schema);
    ws?.cleanup();
  });

  const liveLock = async (guid: string): Promise<{ info: Record<string, string> } | undefined> =>
    (await watch.query<{ info: Record<string, string> }>(`SELECT info FROM ${schema}.resource_locks WHERE namespace = $1 AND path = '' AND expires_at > now()`, [guid])).rows[0];

  it('refuses others with the dead holder until the lease ends, then lets terraform apply', async () => {
    const guid = uuidv7();
    expect((await fetch(`${s.url}/api/v1/states`, { method: 'POST', body: JSON.stringify({ guid, logic_id: 'deadlk' }) })).status).toBe(201);
    writeFileSync(join(ws.dir, 'backend.tf'), backendBlock(s.url, guid));
    writeFileSync(join(ws.dir, 'main.tf'), SLOW_CONFIG);
    const env = serveEnv();
    await tfOk(ws.dir, ['init', '-input=false', '-no-color'], env);
    const apply = startDetached(tfBinary as string, ['apply', '-auto-approve', '-input=false', '-no-color', '-var=sleep=120'], { cwd: ws.dir, env });
    await until(async () => apply.output().includes("Provisioning with 'local-exec'") && (await liveLock(guid)) !== undefined, () => `the apply to hold the lock:\n${apply.output()}`, 60_000);
    const dead = (await liveLock(guid))?.info as Record<string, string>;
    killGroup(apply.pid);
    expect((await apply.done).signal).toBe('SIGKILL');

    // Within the lease: a LOCK is refused with the dead holder's info, and terraform names it.
    const other = foreignLockInfo(randomUUID(), 'other@ci');
    const refused = await fetch(`${s.url}/tfstate/${guid}/lock`, { method: 'LOCK', body: JSON.stringify(other) });
    expect(refused.status).toBe(423);
    expect(await refused.json()).toMatchObject({ code: 'STATE_LOCKED', ID: dead['ID'], Operation: 'OperationTypeApply', Who: dead['Who'] });
    const blocked = await tfRun(ws.dir, ['apply', '-auto-approve', '-input=false', '-no-color'], env);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain(`ID=${dead['ID']}`);

    // After the lease: nobody renewed it (the holder is dead), so terraform takes the state.
    await until(async () => (await liveLock(guid)) === undefined, () => 'the dead holder’s lease to end', 60_000);
    const out = await tfOk(ws.dir, ['apply', '-auto-approve', '-input=false', '-no-color'], env);
    expect(out).toContain('Apply complete!');
    expect(await liveLock(guid)).toBeUndefined();
    const doc = JSON.parse(await tfOk(ws.dir, ['state', 'pull'], env)) as { resources: { name: string }[] };
    expect(doc.resources.map((r) => r.name).sort()).toEqual(['quick', 'slow']);
    expect(await stateProblems(url, schema, guid)).toEqual([]);
  }, 180_000);
});
