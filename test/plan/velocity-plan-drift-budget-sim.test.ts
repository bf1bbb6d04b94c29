// --drift-budget 4 against the sim provider: drift injected into instances outside the change cone is found by four
// consecutive plans between them, each finding shown as an update in that plan's output (the history does the rest).
import { describe, expect, it } from 'vitest';
import { capturePlan } from '../support/plan-capture.js';
import { plannedChanges, terraformAvailable, terraformBin, useSimSession } from '../support/sim/index.js';

describe.skipIf(!terraformAvailable())('velocity plan --drift-budget with the sim (needs terraform)', () => {
  const session = useSimSession({ workspace: { customers: 2, tunnelsPerCustomer: 2, devicesPerCustomer: 4, withState: true }, sim: { inProcess: true } });

  it('four consecutive plans with --drift-budget 4 find every drifted out-of-cone instance', async () => {
    const s = session();
    const ws = s.workspace;
    const [c1, c2] = ws.customers as [string, string];
    const [d1, d2, , d4] = ws.devices as [string, string, string, string];
    const changed = ws.device(c2, d4).address;
    // Outside the cone of `changed` (neither downstream nor an upstream input of it).
    const drifted = [ws.device(c1, d1), ws.device(c1, d4), ws.tunnel(c1, ws.tunnels[0] as string), ws.device(c2, d2), ws.site(c1)];
    for (const r of drifted) await s.sim.injectDrift(r.name, 'changed-in-the-console');
    const env = { ...process.env, ...s.sim.reattachEnv() };
    const plan = () => capturePlan({ cwd: ws.dir, env, binary: terraformBin(), changed: [changed], driftBudget: 4, mode: 'inject', planArgs: ['-json', '-input=false'] });

    // Without a budget none of it is seen (the cone of one device does not reach them).
    const scoped = await capturePlan({ cwd: ws.dir, env, binary: terraformBin(), changed: [changed], mode: 'inject', planArgs: ['-json', '-input=false'], refreshHistory: `${ws.dir}/.velocity/unused-history.json` });
    expect(scoped.result.exitCode).toBe(0);
    expect(plannedChanges(scoped.stdout).map((c) => c.address).filter((a) => drifted.some((r) => r.address === a))).toEqual([]);

    const found = new Set<string>();
    const refreshedPerRun: string[][] = [];
    for (let run = 0; run < 4; run++) {
      const { result, stdout } = await plan();
      expect(result.exitCode).toBe(0);
      expect(result.execution).toBe('inject');
      const budgetChosen = [...(result.scope?.reasons ?? new Map())].filter(([, r]) => r.kind === 'drift-budget').map(([a]) => a);
      expect(budgetChosen.length).toBeGreaterThan(0);
      for (const c of plannedChanges(stdout)) if (c.action === 'update') found.add(c.address);
      refreshedPerRun.push([...result.refreshedAddresses]);
    }
    expect([...found].sort()).toEqual(drifted.map((r) => r.address).sort());
    // Between them the four runs refreshed every instance of the state.
    expect(new Set(refreshedPerRun.flat())).toEqual(new Set(ws.resources.map((r) => r.address)));
  }, 240_000);
});
