// Overlapping `velocity apply` runs on a velocity server: a run whose cone someone else holds fails at once with
// LOCK_CONFLICT naming the holder (exit 1) and writes nothing; two runs of the same customer started together end
// with exactly one written (the other refused by the lock or by STATE_MOVED), one new version in the history.
import { describe, expect, it } from 'vitest';
import { newLockInfo } from '../../src/lock/lock-info.js';
import { ServeClient } from '../../src/serve/serve-client.js';
import { ServeResourceLockManager } from '../../src/serve/serve-resource-lock-manager.js';
import { applyCustomer, serveCustomers, useBuiltServeFixture } from '../support/serve-customers.js';
import { terraformAvailable } from '../support/sim/index.js';
import { tfOk } from '../support/terraform-run.js';

describe.skipIf(!terraformAvailable())('velocity apply on a velocity server: overlapping applies (needs terraform)', () => {
  const server = useBuiltServeFixture();

  it('fails with the holder of its cone and writes nothing', async () => {
    const ws = await serveCustomers(server(), 2);
    const versions = (await new ServeClient(server().server.url).history(ws.guid)).length;
    const before = await tfOk(ws.dir, ['state', 'pull'], ws.env);
    const holder = new ServeResourceLockManager({ origin: server().server.url, guid: ws.guid, auth: undefined });
    const held = await holder.lockResources(['terraform_data.c1'], newLockInfo({ operation: 'OperationTypeApply', who: 'other@ci' }));
    try {
      const r = await applyCustomer(ws, 1, 'b').done;
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stderr).toContain('error[LOCK_CONFLICT]');
      expect(r.stderr).toContain(`held by lock ID ${held.id} by other@ci for OperationTypeApply`);
      expect(r.stdout).not.toContain('Apply complete');
    } finally {
      await held.unlock();
    }
    expect(await tfOk(ws.dir, ['state', 'pull'], ws.env)).toBe(before);
    expect(await new ServeClient(server().server.url).history(ws.guid)).toHaveLength(versions);
    expect(await holder.locks()).toEqual([]);
  }, 240_000);

  it('two runs of one customer started together: exactly one writes', async () => {
    const ws = await serveCustomers(server(), 2);
    const versions = (await new ServeClient(server().server.url).history(ws.guid)).length;
    const [r1, r2] = await Promise.all([applyCustomer(ws, 1, 'b').done, applyCustomer(ws, 1, 'c').done]);
    const codes = [r1.code, r2.code].sort();
    expect(codes, r1.stdout + r1.stderr + r2.stdout + r2.stderr).toEqual([0, 1]);
    const loser = r1.code === 1 ? r1 : r2;
    expect(loser.stderr).toMatch(/error\[(LOCK_CONFLICT|STATE_MOVED)\]/);
    expect(await new ServeClient(server().server.url).history(ws.guid)).toHaveLength(versions + 1);
  }, 240_000);
});
