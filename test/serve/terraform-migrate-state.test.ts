// `terraform init -migrate-state` from a local state into `velocity serve`: the state terraform wrote locally comes
// back from `terraform state pull` as the same JSON value (the exact guarantee: equal after parsing, so only object
// key order and whitespace may differ; arrays, including resources and instances, in the same order; numbers as
// written), lineage and serial aside: Terraform itself starts a new lineage at serial 1 in an empty remote state.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backendBlock } from '../../src/serve/backend-block.js';
import { tfBinary } from '../support/terraform-env.js';
import { tfOk, tfRun } from '../support/terraform-run.js';
import { SAMPLE_BLOCKS, serveEnv, useServeFixture } from './helpers/serve-fixture.js';

describe.runIf(tfBinary !== undefined)('terraform init -migrate-state into velocity serve (skipped only when no tofu/terraform binary)', () => {
  const fx = useServeFixture();

  it('moves the local state and serves back the same document', async () => {
    const guid = await fx().newState('migrated');
    const dir = fx().workspace(guid, [...SAMPLE_BLOCKS, 'resource "terraform_data" "s" {\n  input = { big = 12345678901234567890, pi = 3.14159265358979323846, nested = [1, "two", null, true] }\n}', 'output "s" {\n  value     = terraform_data.s.output\n  sensitive = true\n}']);
    rmSync(join(dir, 'backend.tf'));
    const env = serveEnv();
    await tfOk(dir, ['init', '-input=false', '-no-color'], env);
    await tfOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color'], env);
    const local = readFileSync(join(dir, 'terraform.tfstate'), 'utf8');
    writeFileSync(join(dir, 'backend.tf'), backendBlock(fx().server.url, guid));
    const init = await tfRun(dir, ['init', '-migrate-state', '-force-copy', '-input=false', '-no-color'], env);
    expect(init.code, init.stderr + init.stdout).toBe(0);
    const pulled = await tfOk(dir, ['state', 'pull'], env);
    // NOTE: Terraform's remote state manager gives a migration into an EMPTY remote state a fresh lineage and serial 1
    // (remote.State.PersistState re-reads, finds no snapshot, and starts a new lineage): that is what it pushed.
    const { lineage, serial, ...rest } = JSON.parse(pulled) as Record<string, unknown>;
    const { lineage: localLineage, serial: localSerial, ...localRest } = JSON.parse(local) as Record<string, unknown>;
    expect(rest).toEqual(localRest);
    expect([serial, typeof lineage, typeof localLineage, typeof localSerial]).toEqual([1, 'string', 'string', 'number']);
    expect((await fx().store.history(guid)).map((v) => [v.version, v.serial, v.lineage])).toEqual([[1, 1, lineage]]);
    // Numbers beyond double precision survive as written (compared as text: JSON.parse would round both sides).
    expect(pulled).toContain('12345678901234567890');
    expect(pulled).toContain('3.14159265358979323846');
    const plan = await tfRun(dir, ['plan', '-input=false', '-no-color', '-detailed-exitcode'], env);
    expect(plan.code, plan.stderr + plan.stdout).toBe(0);
  });
});
