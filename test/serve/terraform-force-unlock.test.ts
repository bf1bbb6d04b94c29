// `terraform force-unlock` against velocity serve: a lock left by a client that died is removed by force-unlock
// (Terraform sends the unlock request with no body), after which terraform applies again.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { tfBinary } from '../support/terraform-env.js';
import { tfOk, tfRun } from '../support/terraform-run.js';
import { SAMPLE_BLOCKS, foreignLockInfo, raw, serveEnv, useLoggedServeFixture } from './helpers/serve-fixture.js';

describe.runIf(tfBinary !== undefined)('terraform force-unlock on velocity serve (skipped only when no tofu/terraform binary)', () => {
  const { server, log } = useLoggedServeFixture();

  it('frees a dead client’s lock', async () => {
    const fx = server();
    const guid = await fx.newState('force');
    const dir = fx.workspace(guid, SAMPLE_BLOCKS);
    const env = serveEnv();
    await tfOk(dir, ['init', '-input=false', '-no-color'], env);
    const dead = randomUUID();
    expect((await raw(fx, 'LOCK', `/tfstate/${guid}/lock`, JSON.stringify(foreignLockInfo(dead, 'crashed@ci')))).status).toBe(200);
    const blocked = await tfRun(dir, ['plan', '-input=false', '-no-color'], env);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain(dead);
    const fu = await tfRun(dir, ['force-unlock', '-force', dead], env);
    expect(fu.code, fu.stderr + fu.stdout).toBe(0);
    expect(log.some((l) => l.includes(`state ${guid}: force-unlocked`))).toBe(true);
    await tfOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color'], env);
    // terraform released its own lock after the apply: a new holder gets it at once.
    expect((await raw(fx, 'LOCK', `/tfstate/${guid}/lock`, JSON.stringify(foreignLockInfo(randomUUID())))).status).toBe(200);
  });
});
