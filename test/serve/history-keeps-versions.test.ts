// Every write to velocity serve keeps the previous version: after three applies every version is readable as the
// document of its serial, a write adds rows only for the instances it changed, and a rollback to serial N is a new
// version (serial = newest + 1) holding N's resources, so nothing is lost.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tfBinary } from '../support/terraform-env.js';
import { tfOk, tfRun } from '../support/terraform-run.js';
import { sql } from '../lock/helpers/pg-test-schema.js';
import { SAMPLE_BLOCKS, sampleServeWorkspace, useServeFixture } from './helpers/serve-fixture.js';

describe.runIf(tfBinary !== undefined)('history on velocity serve (skipped only when no tofu/terraform binary)', () => {
  const fx = useServeFixture();

  async function readVersion(guid: string, version?: number): Promise<Record<string, unknown>> {
    let text = '';
    await fx().store.read(guid, (c) => void (text += c), version);
    return JSON.parse(text) as Record<string, unknown>;
  }

  it('keeps every version and rolls back as a new one', async () => {
    const { guid, dir, env } = await sampleServeWorkspace(fx(), 'history');
    const pulls: Record<string, unknown>[] = [];
    for (const value of ['one', 'two', 'three']) {
      writeFileSync(join(dir, 'main.tf'), [...SAMPLE_BLOCKS, `resource "terraform_data" "v" {\n  input = "${value}"\n}`].join('\n\n'));
      await tfOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color'], env);
      pulls.push(JSON.parse(await tfOk(dir, ['state', 'pull'], env)) as Record<string, unknown>);
    }
    const history = await fx().store.history(guid);
    expect(history.map((v) => v.version)).toEqual(history.map((_, i) => i + 1));
    expect(new Set(history.map((v) => v.lineage)).size).toBe(1);
    for (let i = 1; i < history.length; i++) expect((history[i]?.serial ?? 0) > (history[i - 1]?.serial ?? 0)).toBe(true);
    // Every pulled document is still there, as the version of its serial.
    for (const p of pulls) {
      const v = history.filter((h) => h.serial === p['serial']).at(-1);
      expect(v, `serial ${String(p['serial'])}`).toBeDefined();
      expect(await readVersion(guid, v?.version)).toEqual(p);
    }
    // The second and third applies changed only terraform_data.v: they added one instance row each.
    const last = history.at(-1)?.version as number;
    const added = await sql<{ n: string }>(fx().pgUrl, `SELECT count(*) AS n FROM ${fx().schema}.state_instances WHERE state_guid = $1 AND from_version = $2`, [guid, last]);
    expect(Number(added[0]?.n)).toBe(1);

    const first = pulls[0] as { serial: number; resources: unknown };
    const r = await fx().store.rollback('history', first.serial);
    expect(r.serial).toBe((pulls[2] as { serial: number }).serial + 1);
    const after = await fx().store.history(guid);
    expect(after.length).toBe(history.length + 1);
    expect(after.at(-1)).toMatchObject({ source: 'rollback', serial: r.serial });
    const now = JSON.parse(await tfOk(dir, ['state', 'pull'], env)) as Record<string, unknown>;
    expect(now).toEqual({ ...first, serial: r.serial });
    // The versions before the rollback are untouched.
    expect(await readVersion(guid, history.at(-1)?.version)).toEqual(pulls[2]);
    // Terraform plans against the rolled-back state: terraform_data.v must go back to "three".
    const plan = await tfRun(dir, ['plan', '-input=false', '-no-color', '-detailed-exitcode'], env);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/terraform_data\.v/);
  });
});
