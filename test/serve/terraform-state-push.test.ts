// `terraform state push` into velocity serve: a pushed document (a newer serial) becomes the current version and is
// what `state pull` returns; a forced push of another lineage is refused by the server (409 STATE_LINEAGE_MISMATCH)
// and nothing is stored.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tfBinary } from '../support/terraform-env.js';
import { tfOk, tfRun } from '../support/terraform-run.js';
import { raw, sampleServeWorkspace, useServeFixture } from './helpers/serve-fixture.js';

describe.runIf(tfBinary !== undefined)('terraform state push through velocity serve (skipped only when no tofu/terraform binary)', () => {
  const fx = useServeFixture();

  it('stores a pushed state and refuses another lineage', async () => {
    const { guid, dir, env } = await sampleServeWorkspace(fx(), 'pushed', { apply: true });
    const doc = JSON.parse(await tfOk(dir, ['state', 'pull'], env)) as { serial: number; lineage: string; resources: { name: string }[] };
    const edited = { ...doc, serial: doc.serial + 5, resources: doc.resources.filter((r) => r.name !== 'b') };
    writeFileSync(join(dir, 'edited.tfstate'), JSON.stringify(edited, null, 2));
    await tfOk(dir, ['state', 'push', 'edited.tfstate'], env);
    // NOTE: Terraform's remote state manager bumps the serial of a pushed state once more (PersistState of a changed
    // state): the server stores exactly what it sent.
    expect(JSON.parse(await tfOk(dir, ['state', 'pull'], env))).toEqual({ ...edited, serial: edited.serial + 1 });
    const before = await fx().store.history(guid);

    writeFileSync(join(dir, 'other.tfstate'), JSON.stringify({ ...edited, lineage: '00000000-0000-4000-8000-000000000000', serial: edited.serial + 9 }));
    const forced = await tfRun(dir, ['state', 'push', '-force', 'other.tfstate'], env);
    expect(forced.code).not.toBe(0);
    expect(forced.stderr + forced.stdout).toMatch(/409/);
    expect(await fx().store.history(guid)).toEqual(before);
    const got = await raw(fx(), 'GET', `/tfstate/${guid}`);
    expect(JSON.parse(got.text)).toEqual({ ...edited, serial: edited.serial + 1 });
  });
});
