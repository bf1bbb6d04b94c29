// A whole-state lock is a row, so it outlives the server: after `velocity serve` is killed (SIGKILL) and started
// again on the same schema, the lock is still enforced (another LOCK is 423 with the holder, a write with another
// id is 409, terraform is refused naming it, the holder renews it), and `terraform force-unlock` then frees it.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { backendBlock } from '../../src/serve/backend-block.js';
import { dropSchema, freshSchema } from '../lock/helpers/pg-test-schema.js';
import { assertFreshBuild } from '../support/built-package.js';
import { tfBinary } from '../support/terraform-env.js';
import { tfOk, tfRun } from '../support/terraform-run.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { SAMPLE_BLOCKS, foreignLockInfo, serveEnv } from './helpers/serve-fixture.js';
import { spawnServe, type SpawnedServe } from './helpers/spawn-serve.js';

describe.runIf(tfBinary !== undefined)('a whole-state lock across a server restart (skipped only when no tofu/terraform binary)', () => {
  const url = inject('pgUrl');
  const schema = freshSchema('lkrst');
  let s: SpawnedServe;
  let ws: TempWorkspace;
  beforeAll(async () => {
    assertFreshBuild();
    s = await spawnServe(url, schema);
    ws = tempWorkspace();
  });
  afterAll(async () => {
    await s?.stop();
    await dropSchema(url, schema);
    ws?.cleanup();
  });

  const call = async (method: string, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    const r = await fetch(`${s.url}${path}`, { method, body: JSON.stringify(body) });
    return { status: r.status, json: (await r.json()) as Record<string, unknown> };
  };

  it('is still enforced after the restart and force-unlock frees it', async () => {
    const guid = uuidv7();
    expect((await call('POST', '/api/v1/states', { guid, logic_id: 'lkrst' })).status).toBe(201);
    writeFileSync(join(ws.dir, 'main.tf'), SAMPLE_BLOCKS.join('\n\n'));
    const env = serveEnv();
    const point = (): void => writeFileSync(join(ws.dir, 'backend.tf'), backendBlock(s.url, guid));
    point();
    await tfOk(ws.dir, ['init', '-input=false', '-no-color'], env);
    await tfOk(ws.dir, ['apply', '-auto-approve', '-input=false', '-no-color'], env);
    const before = JSON.parse(await tfOk(ws.dir, ['state', 'pull'], env)) as { serial: number; lineage: string };
    const holder = foreignLockInfo(randomUUID(), 'holder@before-restart');
    expect((await call('LOCK', `/tfstate/${guid}/lock`, holder)).status).toBe(200);

    expect(await s.stop('SIGKILL')).toBe(-1);
    s = await spawnServe(url, schema);
    // The restarted server listens on another port: point the workspace at it (same state).
    point();
    await tfOk(ws.dir, ['init', '-reconfigure', '-input=false', '-no-color'], env);

    const other = foreignLockInfo(randomUUID(), 'other@after-restart');
    const refused = await call('LOCK', `/tfstate/${guid}/lock`, other);
    expect([refused.status, refused.json['code'], refused.json['ID'], refused.json['Who']]).toEqual([423, 'STATE_LOCKED', holder.ID, holder['Who']]);
    const write = await call('POST', `/tfstate/${guid}?ID=${other.ID}`, { version: 4, terraform_version: '1.11.4', serial: before.serial + 1, lineage: before.lineage, outputs: {}, resources: [] });
    expect([write.status, write.json['code'], write.json['ID']]).toEqual([409, 'STATE_LOCKED', holder.ID]);
    const plan = await tfRun(ws.dir, ['plan', '-input=false', '-no-color'], env);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(`ID=${holder.ID}`);
    // The holder's own LOCK renews it.
    expect((await call('LOCK', `/tfstate/${guid}/lock`, holder)).status).toBe(200);
    expect((await tfOk(ws.dir, ['state', 'pull'], env)).length).toBeGreaterThan(0);

    const fu = await tfRun(ws.dir, ['force-unlock', '-force', holder.ID as string], env);
    expect(fu.code, fu.stderr + fu.stdout).toBe(0);
    await tfOk(ws.dir, ['apply', '-auto-approve', '-input=false', '-no-color', '-replace=terraform_data.a'], env);
    const after = JSON.parse(await tfOk(ws.dir, ['state', 'pull'], env)) as { serial: number; lineage: string };
    expect(after.lineage).toBe(before.lineage);
    expect(after.serial).toBeGreaterThan(before.serial);
    expect((await call('LOCK', `/tfstate/${guid}/lock`, other)).status).toBe(200);
  }, 180_000);
});
