// A plain `terraform apply` while resource locks of a velocity run are live on the state (as `velocity apply` holds
// them from before its plan until its subgraph write): terraform's LOCK is refused (423) and nothing changes.
import { describe, expect, it } from 'vitest';
import { newLockInfo } from '../../src/lock/lock-info.js';
import { ServeClient } from '../../src/serve/serve-client.js';
import { ServeResourceLockManager } from '../../src/serve/serve-resource-lock-manager.js';
import { serveCustomers, useBuiltServeFixture } from '../support/serve-customers.js';
import { terraformAvailable } from '../support/sim/index.js';
import { tfOk, tfRun } from '../support/terraform-run.js';

describe.skipIf(!terraformAvailable())('plain terraform apply during a velocity run on a velocity server (needs terraform)', () => {
  const server = useBuiltServeFixture();

  it('gets the lock error and changes nothing', async () => {
    const ws = await serveCustomers(server(), 2);
    const versions = (await new ServeClient(server().server.url).history(ws.guid)).length;
    const before = await tfOk(ws.dir, ['state', 'pull'], ws.env);
    const velocity = new ServeResourceLockManager({ origin: server().server.url, guid: ws.guid, auth: undefined });
    const held = await velocity.lockResources(['output.c1', 'terraform_data.c1'], newLockInfo({ operation: 'OperationTypeApply', info: 'velocity apply' }));
    try {
      const r = await tfRun(ws.dir, ['apply', '-auto-approve', '-input=false', '-no-color', '-lock-timeout=0s', '-var=c2=z'], ws.env);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Error acquiring the state lock');
      expect(r.stderr).toContain('HTTP remote state already locked'); // the server's 423
      expect(r.stderr).toContain(held.id);
    } finally {
      await held.unlock();
    }
    expect(await tfOk(ws.dir, ['state', 'pull'], ws.env)).toBe(before);
    expect(await new ServeClient(server().server.url).history(ws.guid)).toHaveLength(versions);
  }, 240_000);
});
