// `velocity apply --drift-budget K` against the sim: the budget's instances are planned and applied like a change,
// so drift there is put back by the apply (the cloud object matches the configuration again) and the run is
// recorded in the refresh history.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRefreshHistory } from '../../src/detect/refresh-history.js';
import { runCli } from '../support/cli-harness.js';
import { terraformAvailable, terraformBin, useSimSession } from '../support/sim/index.js';

describe.skipIf(!terraformAvailable())('velocity apply --drift-budget with the sim (needs terraform)', () => {
  const session = useSimSession({ workspace: { customers: 2, tunnelsPerCustomer: 2, devicesPerCustomer: 4, withState: true }, sim: { inProcess: true } });

  it('applies the drift of the budget slice back to the configuration and records the history', async () => {
    const s = session();
    const ws = s.workspace;
    const state = JSON.parse(readFileSync(join(ws.dir, 'terraform.tfstate'), 'utf8')) as { lineage: string };
    // Nothing recorded yet: the slice is the first ceil(15/4) = 4 addresses in sorted order.
    const sorted = [...ws.resources].sort((a, b) => (a.address < b.address ? -1 : 1));
    const drifted = sorted[1] as (typeof sorted)[0];
    const changed = sorted[sorted.length - 2] as (typeof sorted)[0];
    await s.sim.injectDrift(drifted.name, 'changed-in-the-console');
    const env = { ...process.env, ...s.sim.reattachEnv() };
    const r = await runCli(['apply', '--binary', terraformBin(), '--drift-budget', '4', '--changed', changed.address, '-auto-approve', '-input=false', '-no-color'], { cwd: ws.dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1 changed/);
    expect((await s.sim.objects()).find((o) => o.name === drifted.name)?.value).toBe('v1');
    const history = await readRefreshHistory(join(ws.dir, '.velocity', 'refresh-history.json'), state.lineage);
    expect(history?.runs.flatMap((run) => run.addresses)).toEqual(expect.arrayContaining(sorted.slice(0, 4).map((x) => x.address)));
  }, 240_000);
});
