// `velocity drift --all` against the sim provider: drift injected into out-of-cone instances is listed (sorted) in one
// run with exit 2; once the cloud matches the state again, a run exits 0 and lists nothing.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-harness.js';
import { terraformAvailable, terraformBin, useSimSession } from '../support/sim/index.js';

describe.skipIf(!terraformAvailable())('velocity drift --all with the sim (needs terraform)', () => {
  const session = useSimSession({ workspace: { customers: 2, tunnelsPerCustomer: 2, devicesPerCustomer: 4, withState: true }, sim: { inProcess: true } });

  it('finds all injected drift in one run (exit 2), and exits 0 once there is none', async () => {
    const s = session();
    const ws = s.workspace;
    const [c1, c2] = ws.customers as [string, string];
    const drifted = [ws.device(c1, ws.devices[0] as string), ws.device(c2, ws.devices[3] as string), ws.tunnel(c2, ws.tunnels[1] as string), ws.site(c1), ws.controller];
    for (const r of drifted) await s.sim.injectDrift(r.name, 'changed-in-the-console');
    const env = { ...process.env, ...s.sim.reattachEnv() };
    const drift = (...args: string[]) => runCli(['drift', '--binary', terraformBin(), ...args, '-input=false'], { cwd: ws.dir, env });

    const first = await drift('--all');
    expect(first.stderr).not.toMatch(/error\[/);
    expect(first.code).toBe(2);
    expect(first.stdout).toBe(drifted.map((r) => `${r.address}\n`).sort().join(''));

    const json = await drift('--all', '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ checked: ws.resourceCount, drifted: drifted.map((r) => r.address).sort() });

    for (const r of drifted) await s.sim.injectDrift(r.name, 'v1');
    const clean = await drift('--all', '--json');
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toEqual({ checked: ws.resourceCount, drifted: [] });
  }, 240_000);
});
