// Whole-state locks through the http protocol: while another client holds the state, terraform apply fails naming
// the holder, and the server's 423 body is the holder's lock info (ID, Operation, Info, Who, Version, Created, Path);
// an unlock with a wrong ID is 409 and leaves the lock; a write with a wrong ?ID= is 409 and stores nothing.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { tfBinary } from '../support/terraform-env.js';
import { tfOk, tfRun } from '../support/terraform-run.js';
import { foreignLockInfo, raw, sampleServeWorkspace, useServeFixture } from './helpers/serve-fixture.js';

describe.runIf(tfBinary !== undefined)('lock conflicts on velocity serve (skipped only when no tofu/terraform binary)', () => {
  const fx = useServeFixture();

  it('refuses terraform while another holds the state, with the holder', async () => {
    const { guid, dir, env } = await sampleServeWorkspace(fx(), 'conflict');
    const holderId = randomUUID();
    const info = foreignLockInfo(holderId, 'alice@build-7');
    expect((await raw(fx(), 'LOCK', `/tfstate/${guid}/lock`, JSON.stringify(info))).status).toBe(200);

    const again = await raw(fx(), 'LOCK', `/tfstate/${guid}/lock`, JSON.stringify(foreignLockInfo(randomUUID(), 'bob@laptop')));
    expect(again.status).toBe(423);
    expect(again.json).toMatchObject({ ...info, code: 'STATE_LOCKED' });
    for (const k of ['ID', 'Operation', 'Info', 'Who', 'Version', 'Created', 'Path']) expect(again.json, k).toHaveProperty(k);

    const apply = await tfRun(dir, ['apply', '-auto-approve', '-input=false', '-no-color'], env);
    expect(apply.code).toBe(1);
    // Terraform 1.11 names the holder's ID from the 423 body (its "Lock Info" block shows its own request).
    expect(apply.stderr).toContain(`ID=${holderId}`);
    expect((await fx().store.history(guid)).length).toBe(0);

    const wrong = await raw(fx(), 'UNLOCK', `/tfstate/${guid}/unlock`, JSON.stringify(foreignLockInfo(randomUUID())));
    expect(wrong.status).toBe(409);
    expect(wrong.json).toMatchObject({ code: 'LOCK_ID_MISMATCH', ID: holderId });
    const post = await raw(fx(), 'POST', `/tfstate/${guid}?ID=${randomUUID()}`, JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'x', outputs: {}, resources: [] }));
    expect(post.status).toBe(409);
    expect(post.json).toMatchObject({ code: 'STATE_LOCKED', ID: holderId });
    expect((await fx().store.history(guid)).length).toBe(0);

    expect((await raw(fx(), 'UNLOCK', `/tfstate/${guid}/unlock`, JSON.stringify(info))).status).toBe(200);
    await tfOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color'], env);
    expect((await fx().store.history(guid)).length).toBeGreaterThan(0);
  });
});
