// `velocity drift --budget 4` against the sim provider: each run checks a slice in a sub-workspace (inject), and four
// consecutive runs list every drifted instance between them; when inject is blocked it says why and uses -target.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-harness.js';
import { terraformAvailable, terraformBin, useSimSession } from '../support/sim/index.js';

describe.skipIf(!terraformAvailable())('velocity drift --budget with the sim (needs terraform)', () => {
  const session = useSimSession({ workspace: { customers: 2, tunnelsPerCustomer: 2, devicesPerCustomer: 4, withState: true }, sim: { inProcess: true } });

  it('four --budget 4 runs find all drift between them, each checking a slice in a sub-workspace', async () => {
    const s = session();
    const ws = s.workspace;
    const [c1, c2] = ws.customers as [string, string];
    const drifted = [ws.device(c1, ws.devices[1] as string), ws.device(c2, ws.devices[2] as string), ws.tunnel(c2, ws.tunnels[0] as string), ws.site(c2)];
    for (const r of drifted) await s.sim.injectDrift(r.name, 'changed-in-the-console');
    const env = { ...process.env, ...s.sim.reattachEnv() };
    const found: string[] = [];
    for (let run = 0; run < 4; run++) {
      const r = await runCli(['drift', '--budget', '4', '--json', '--binary', terraformBin(), '-input=false'], { cwd: ws.dir, env });
      expect(r.stderr).not.toMatch(/error\[|inject mode not used/);
      expect([0, 2]).toContain(r.code);
      const out = JSON.parse(r.stdout) as { checked: number; drifted: string[] };
      expect(out.checked).toBeLessThan(ws.resourceCount);
      expect(r.code).toBe(out.drifted.length > 0 ? 2 : 0);
      found.push(...out.drifted);
    }
    expect([...new Set(found)].sort()).toEqual(drifted.map((r) => r.address).sort());
  }, 240_000);

});

describe.skipIf(!terraformAvailable())('velocity drift --budget when inject is blocked (needs terraform)', () => {
  const session = useSimSession({ workspace: { customers: 2, tunnelsPerCustomer: 2, devicesPerCustomer: 4, withState: true }, sim: { inProcess: true } });

  it('falls back to -refresh-only with -target, saying why, and still lists the drift of its slice', async () => {
    const s = session();
    const ws = s.workspace;
    // Nothing recorded yet: the slice is the first ceil(15/4) = 4 addresses in sorted order.
    const first = [...ws.resources].sort((a, b) => (a.address < b.address ? -1 : 1)).slice(0, 4);
    const drifted = [first[0], first[2]] as [typeof first[0], typeof first[0]];
    for (const r of drifted) await s.sim.injectDrift(r.name, 'changed-in-the-console');
    // NOTE: TF_DATA_DIR naming the workspace's own .terraform changes nothing for terraform, but blocks inject.
    const env = { ...process.env, ...s.sim.reattachEnv(), TF_DATA_DIR: `${ws.dir}/.terraform` };
    const r = await runCli(['drift', '--budget', '4', '--binary', terraformBin(), '-input=false'], { cwd: ws.dir, env });
    expect(r.stderr).toMatch(/inject mode not used: TF_DATA_DIR/);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(drifted.map((d) => `${d.address}\n`).sort().join(''));
  }, 240_000);
});
