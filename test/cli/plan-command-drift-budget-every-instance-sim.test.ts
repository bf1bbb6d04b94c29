// Drift in every instance outside the change cone (the sim, the built CLI): four consecutive `velocity plan
// --drift-budget 4` runs find all of it, each run exactly the drift of what it read fresh (per the refresh history),
// the first reading only a slice; then `velocity drift --all` lists all of it in one run.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRefreshHistory } from '../../src/detect/refresh-history.js';
import { assertFreshBuild, runVelocityBin } from '../support/built-package.js';
import { plannedChanges, terraformAvailable, terraformBin, useSimSession } from '../support/sim/index.js';

describe.skipIf(!terraformAvailable())('velocity plan --drift-budget 4 with drift everywhere outside the cone (needs terraform)', () => {
  const session = useSimSession({ workspace: { customers: 2, tunnelsPerCustomer: 2, devicesPerCustomer: 4, withState: true }, sim: { inProcess: true } });

  it('four plans find every drifted instance, each what it refreshed; drift --all finds all in one run', async () => {
    assertFreshBuild();
    const s = session();
    const ws = s.workspace;
    const changed = ws.device(ws.customers[0] as string, ws.devices[2] as string).address;
    const drifted = ws.resources.filter((r) => r.address !== changed).map((r) => r.address).sort();
    expect(drifted).toHaveLength(ws.resourceCount - 1);
    for (const r of ws.resources) if (r.address !== changed) await s.sim.injectDrift(r.name, 'changed-in-the-console');
    const env = { ...process.env, ...s.sim.reattachEnv(), VELOCITY_TF_BINARY: terraformBin() };
    const lineage = (JSON.parse(readFileSync(join(ws.dir, 'terraform.tfstate'), 'utf8')) as { lineage: string }).lineage;
    const historyPath = join(ws.dir, '.velocity', 'refresh-history.json');

    const found = new Set<string>();
    for (let run = 0; run < 4; run++) {
      const r = await runVelocityBin(['plan', '--changed', changed, '--drift-budget', '4', '-json', '-input=false'], { cwd: ws.dir, env, timeoutMs: 90_000 });
      expect(r.code, r.stderr).toBe(0);
      const updates = plannedChanges(r.stdout).filter((c) => c.action === 'update').map((c) => c.address).sort();
      const refreshed = (await readRefreshHistory(historyPath, lineage))?.runs.at(-1)?.addresses ?? [];
      // Drift is seen exactly where this run read fresh: its slice, their dependents and the cone.
      expect(updates).toEqual(refreshed.filter((a) => a !== changed));
      // NOTE: the run whose slice holds the controller (or a site) reads all its dependents too, as documented.
      if (run === 0) expect(refreshed.length).toBeLessThan(ws.resourceCount);
      for (const a of updates) found.add(a);
    }
    expect([...found].sort()).toEqual(drifted);

    const all = await runVelocityBin(['drift', '--all', '--json', '-input=false'], { cwd: ws.dir, env, timeoutMs: 90_000 });
    expect(all.code, all.stderr).toBe(2);
    expect(JSON.parse(all.stdout)).toEqual({ checked: ws.resourceCount, drifted });
  }, 110_000);
});
