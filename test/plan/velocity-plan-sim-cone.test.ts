// velocity plan against the simulated provider: ~300 sim_resources (for_each modules, count, a cross-module
// reference). ReadResource calls are counted by the sim, so "what was read" is measured, not inferred.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturePlan } from '../support/plan-capture.js';
import { startSimCustomers, type SimCustomers } from '../support/sim-customers.js';
import { plannedChanges, terraformAvailable, terraformBin } from '../support/sim/index.js';

async function changesOf(s: SimCustomers, planFile: string): Promise<{ address: string; actions: string[]; before: unknown; after: unknown }[]> {
  const shown = await s.session.terraform(['show', '-json', planFile]);
  const doc = JSON.parse(shown.stdout) as { resource_changes: { address: string; change: { actions: string[]; before: unknown; after: unknown } }[] };
  return doc.resource_changes
    .filter((r) => r.change.actions.some((a) => a !== 'no-op'))
    .map((r) => ({ address: r.address, actions: r.change.actions, before: r.change.before, after: r.change.after }));
}

const readNames = async (s: SimCustomers): Promise<Record<string, number>> => (await s.session.sim.counters()).reads;

describe.skipIf(!terraformAvailable())('velocityPlan with the sim provider (skipped only when terraform is absent)', () => {
  let s: SimCustomers;
  beforeAll(async () => {
    s = await startSimCustomers(12);
  }, 300_000);
  afterAll(async () => {
    await s?.session.stop();
  });
  const ws = () => s.session.workspace;
  const plan = (opts: Parameters<typeof capturePlan>[0] = {}) => capturePlan({ cwd: ws().dir, env: s.env(), binary: terraformBin(), ...opts });

  it('a one-device change plans like a full plan, reading only what terraform reports refreshing', async () => {
    const undo = s.changeConfig('c05', 'd07');
    try {
      await s.session.sim.resetCounters();
      const full = await s.session.terraform(['plan', '-input=false', '-out=full.tfplan']);
      expect(full.code).toBe(0);
      const fullReads = Object.values(await readNames(s)).reduce((a, b) => a + b, 0);
      expect(fullReads).toBe(s.total);

      await s.session.sim.resetCounters();
      const { result } = await plan({ planArgs: ['-out=velocity.tfplan', '-no-color'] });
      expect(result.exitCode).toBe(0);
      expect(result.mode).toBe('optimized');
      expect(result.total).toBe(s.total);
      const device = ws().device('c05', 'd07').address;
      expect(result.detection?.changed).toEqual([device]);
      // ReadResource calls: exactly the instances terraform printed as refreshed, once each (the probe read nothing).
      const reads = await readNames(s);
      expect(reads).toEqual(Object.fromEntries(result.refreshedAddresses.map((a) => [s.nameOf(a), 1]).sort()));
      expect(result.refreshed).toBeLessThan(s.total * 0.15);
      expect(await changesOf(s, join(ws().dir, 'velocity.tfplan'))).toEqual(await changesOf(s, join(ws().dir, 'full.tfplan')));
    } finally {
      undo();
    }
  });

  it('detects drift inside the change cone (downstream of a changed site)', async () => {
    const undo = s.changeConfig('c03');
    const tunnel = ws().tunnel('c03', 't2');
    await s.session.sim.injectDrift(tunnel.name, 'changed-in-the-console');
    try {
      const { result, stdout } = await plan({ planArgs: ['-json'] });
      expect(result.exitCode).toBe(0);
      expect(result.scope?.refresh).toContain(tunnel.address);
      expect(plannedChanges(stdout)).toContainEqual({ address: tunnel.address, action: 'update' });
      expect(plannedChanges(stdout)).toContainEqual({ address: ws().site('c03').address, action: 'update' });
    } finally {
      undo();
      await s.session.sim.injectDrift(tunnel.name, 'v1');
    }
  });

  it('does not read drift outside the cone; --refresh-strategy=full finds it', async () => {
    const undo = s.changeConfig('c05', 'd07');
    const far = ws().device('c09', 'd01');
    await s.session.sim.injectDrift(far.name, 'changed-in-the-console');
    try {
      await s.session.sim.resetCounters();
      const scoped = await plan({ planArgs: ['-json'] });
      expect((await readNames(s))[far.name]).toBeUndefined();
      expect(plannedChanges(scoped.stdout).map((c) => c.address)).not.toContain(far.address);

      await s.session.sim.resetCounters();
      const full = await plan({ planArgs: ['-json'], strategy: 'full' });
      expect((await readNames(s))[far.name]).toBe(1);
      expect(full.result.refreshed).toBe(s.total);
      expect(plannedChanges(full.stdout)).toContainEqual({ address: far.address, action: 'update' });
    } finally {
      undo();
      await s.session.sim.injectDrift(far.name, 'v1');
    }
  });
});
