// `velocity plan --drift-budget 4 --changed ADDR -json` from the command line against the sim: four consecutive
// runs show every out-of-cone drifted instance as an update between them; `--drift-budget 0` is a usage error.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-harness.js';
import { plannedChanges, terraformAvailable, terraformBin, useSimSession } from '../support/sim/index.js';

describe.skipIf(!terraformAvailable())('velocity plan --drift-budget on the command line (needs terraform)', () => {
  const session = useSimSession({ workspace: { customers: 2, tunnelsPerCustomer: 2, devicesPerCustomer: 4, withState: true }, sim: { inProcess: true } });

  it('four runs show all the drift between them; a bad K exits 2 with USAGE', async () => {
    const s = session();
    const ws = s.workspace;
    const [c1, c2] = ws.customers as [string, string];
    const changed = ws.device(c1, ws.devices[2] as string).address;
    const drifted = [ws.device(c2, ws.devices[0] as string), ws.device(c2, ws.devices[3] as string), ws.tunnel(c2, ws.tunnels[1] as string), ws.device(c1, ws.devices[1] as string)];
    for (const r of drifted) await s.sim.injectDrift(r.name, 'changed-in-the-console');
    const env = { ...process.env, ...s.sim.reattachEnv() };
    const plan = (...flags: string[]) => runCli(['plan', '--binary', terraformBin(), '--changed', changed, ...flags, '-json', '-input=false'], { cwd: ws.dir, env });

    const bad = await plan('--drift-budget', '0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/error\[USAGE\]/);

    const found = new Set<string>();
    for (let run = 0; run < 4; run++) {
      const r = await plan('--drift-budget', '4');
      expect(r.code).toBe(0);
      for (const c of plannedChanges(r.stdout)) if (c.action === 'update') found.add(c.address);
    }
    expect([...found].sort()).toEqual(drifted.map((r) => r.address).sort());
  }, 240_000);
});
