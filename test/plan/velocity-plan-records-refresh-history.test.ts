// After a plan velocityPlan records what the binary refreshed in the refresh history, with the state's lineage and
// serial: after exit 0 and after -detailed-exitcode's 2, never after a failed plan; an unwritable history is ignored
// without a budget and is error REFRESH_HISTORY_UNWRITABLE with one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRefreshHistory } from '../../src/detect/refresh-history.js';
import { capturePlan } from '../support/plan-capture.js';
import { terraformAvailable, terraformBin, useSimSession } from '../support/sim/index.js';

describe.skipIf(!terraformAvailable())('velocityPlan records the refresh history (needs terraform)', () => {
  const session = useSimSession({ workspace: { customers: 2, tunnelsPerCustomer: 2, devicesPerCustomer: 4, withState: true }, sim: { inProcess: true } });

  it('records successful plans only, with the state lineage and serial', async () => {
    const s = session();
    const ws = s.workspace;
    const env = { ...process.env, ...s.sim.reattachEnv() };
    const state = JSON.parse(readFileSync(join(ws.dir, 'terraform.tfstate'), 'utf8')) as { lineage: string; serial: number };
    const path = join(ws.dir, '.velocity', 'refresh-history.json');
    const [c1, c2] = ws.customers as [string, string];
    const one = ws.device(c1, ws.devices[0] as string);
    const two = ws.device(c2, ws.devices[1] as string);
    const plan = (changed: string, ...planArgs: string[]) => capturePlan({ cwd: ws.dir, env, binary: terraformBin(), changed: [changed], planArgs: ['-input=false', ...planArgs] });

    const first = await plan(one.address);
    expect(first.result.exitCode).toBe(0);
    expect(first.result.refreshedAddresses).toContain(one.address);
    expect(await readRefreshHistory(path, state.lineage)).toEqual({ runs: [{ serial: state.serial, at: expect.any(String), addresses: [...first.result.refreshedAddresses] }] });

    // A failed plan (the provider errors on a read) records nothing.
    await s.sim.failOn({ read: [two.name] });
    const failed = await plan(two.address);
    expect(failed.result.exitCode).toBe(1);
    await s.sim.failOn({});
    expect((await readRefreshHistory(path, state.lineage))?.runs).toHaveLength(1);

    // -detailed-exitcode's 2 (drift shows as a change) is a success: recorded.
    await s.sim.injectDrift(two.name, 'changed-in-the-console');
    const changed = await plan(two.address, '-detailed-exitcode');
    expect(changed.result.exitCode).toBe(2);
    const runs = (await readRefreshHistory(path, state.lineage))?.runs ?? [];
    expect(runs).toHaveLength(2);
    expect(runs[1]?.addresses).toEqual([...changed.result.refreshedAddresses]);
    await s.sim.injectDrift(two.name, 'v1');

    // An unwritable history: ignored without a budget, a typed error with one.
    const blocked = join(ws.dir, 'main.tf', 'history.json'); // under a file
    const quiet = await capturePlan({ cwd: ws.dir, env, binary: terraformBin(), changed: [one.address], planArgs: ['-input=false'], refreshHistory: blocked });
    expect(quiet.result.exitCode).toBe(0);
    const loud = capturePlan({ cwd: ws.dir, env, binary: terraformBin(), changed: [one.address], planArgs: ['-input=false'], refreshHistory: blocked, driftBudget: 4 });
    await expect(loud).rejects.toMatchObject({ code: 'REFRESH_HISTORY_UNWRITABLE' });
  }, 240_000);
});
