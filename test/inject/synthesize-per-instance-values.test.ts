// The sub-workspace hands each module instance only its own literals and kept keys: the root holds every
// instance's values once and passes each instance its slice through a module variable, and a reduced resource
// for_each is a reference to a local filtered once per module instance. (Terraform evaluates a module's locals once
// per instance and a resource's for_each once per planned instance: a module local holding every instance's values,
// or a filter inline in for_each, made the sub-workspace cost more than the whole workspace.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedCustomersWorkspace, type AppliedWorkspace } from '../support/applied-workspace.js';
import { capturePlan } from '../support/plan-capture.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

interface Entry { module?: string; type: string; name: string; instances: { attributes: { id: string } }[] }

describe.runIf(tfBinary)('per-instance values of a sub-workspace (skipped only when no tofu/terraform is installed)', () => {
  let ws: AppliedWorkspace;
  beforeAll(() => {
    ws = appliedCustomersWorkspace(tfBinary as string, { customers: 3 });
  });
  afterAll(() => ws?.cleanup());

  it('reach each module instance as its own slice, never as every instance\'s values', async () => {
    const changed = [ws.device(0, 1), ws.device(2, 1)];
    const { result } = await capturePlan({ cwd: ws.dir, env: tfEnv(), mode: 'inject', changed, planArgs: ['-out=p.tfplan', '-no-color'] });
    expect(result.exitCode).toBe(0);
    expect(result.execution).toBe('inject');
    const sub = result.subWorkspace as string;
    const state = JSON.parse(readFileSync(join(ws.dir, 'terraform.tfstate'), 'utf8')) as { resources: Entry[] };
    // A device reads its tunnel: the tunnels are the literals.
    const tunnelIds = state.resources.filter((e) => e.name === 'tunnel').flatMap((e) => e.instances.map((i) => i.attributes.id));
    expect(tunnelIds.length).toBeGreaterThanOrEqual(3);
    const root = readFileSync(join(sub, 'velocity.tf.json'), 'utf8');
    const module = readFileSync(join(sub, 'modules', 'customer', 'velocity.tf.json'), 'utf8');
    // The root holds the literals of both kept customers' tunnels; the module's own file holds none of them.
    const kept = [ws.customer(0), ws.customer(2)];
    const keptTunnels = state.resources.filter((e) => e.name === 'tunnel' && kept.some((c) => e.module === `module.customer["${c}"]`)).flatMap((e) => e.instances.map((i) => i.attributes.id));
    expect(keptTunnels.length).toBeGreaterThan(0);
    for (const id of keptTunnels) expect(root).toContain(id);
    for (const id of tunnelIds) expect(module).not.toContain(id);
    // The device block's for_each is a local of the module (filtered once per module instance).
    const doc = JSON.parse(module) as { resource: Record<string, Record<string, { for_each?: string }[]>>; locals: Record<string, unknown>[] };
    const devices = Object.values(doc.resource).flatMap((byName) => Object.entries(byName)).find(([name]) => name === 'device')?.[1][0];
    expect(devices?.for_each).toMatch(/^\$\{local\.velocity_each\d+\}$/);
  });
});
