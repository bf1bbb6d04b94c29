// Issue 10: -target refreshes every dependency of a target, so in target mode velocity must never say an instance the
// binary refreshed is "served from state" / "Using cached state": the dry run's listing is checked against what the
// real binary then refreshes for the same change, and the scope has no static set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedCustomersWorkspace, type AppliedWorkspace } from '../support/applied-workspace.js';
import { capturePlan } from '../support/plan-capture.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

describe.runIf(tfBinary)('velocity plan in target mode and the inputs of its targets (skipped only without tofu/terraform)', () => {
  let ws: AppliedWorkspace;
  beforeAll(() => {
    ws = appliedCustomersWorkspace(tfBinary as string, { customers: 3, devices: 4 });
  });
  afterAll(() => ws?.cleanup());

  it('lists as cached only what the binary does not refresh, and counts the inputs as refreshed', async () => {
    for (const device of [ws.device(1, 2), ws.device(0, 0)]) {
      const dry = await capturePlan({ cwd: ws.dir, env: tfEnv(), changed: [device], mode: 'target', dryRun: true, verboseRefresh: true });
      expect(dry.stdout).not.toContain('served from state');
      const cached = dry.stdout.split('\n').filter((l) => l.endsWith(': Using cached state (not in change cone)')).map((l) => l.slice(0, l.indexOf(': Using cached')));
      expect(cached.length).toBeGreaterThan(0);
      const real = await capturePlan({ cwd: ws.dir, env: tfEnv(), changed: [device], mode: 'target', planArgs: ['-no-color'] });
      expect(real.result.exitCode).toBe(0);
      expect(cached.filter((a) => real.result.refreshedAddresses.includes(a))).toEqual([]);
      // Everything velocity's scope says is read is read by the binary (velocity's cone ⊆ Terraform's -target set).
      expect(real.result.scope?.static).toEqual([]);
      expect((real.result.scope?.refresh ?? []).filter((a) => !real.result.refreshedAddresses.includes(a))).toEqual([]);
    }
  });
});
