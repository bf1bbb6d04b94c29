// The synthesised state is what `terraform apply` of the synthesised config would leave: a plan without refresh
// finds nothing to do (exit 0 with -detailed-exitcode) for every shape.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { synthWorkspace, type SynthShapeName } from '../../src/synth/synth-workspace.js';
import { TERRAFORM, terraform } from './terraform-workspace.js';

const root = mkdtempSync(join(tmpdir(), 'velocity-synth-plan-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cases: [SynthShapeName, number][] = [
  ['customers', 200],
  ['chain', 25],
  ['wide', 40],
  ['random', 150],
];

describe.skipIf(!TERRAFORM)('synth: terraform plan -refresh=false sees no changes', () => {
  it.each(cases)('%s with %i resources', async (shape, resources) => {
    const dir = join(root, shape);
    const summary = await synthWorkspace({ shape, resources, seed: 42, outDir: dir });
    if (shape === 'customers') expect(summary.facts['customers']).toBe(2);
    expect(terraform(dir, ['init', '-input=false']).status).toBe(0);
    const plan = terraform(dir, ['plan', '-refresh=false', '-detailed-exitcode', '-input=false']);
    expect(plan.output).toContain('No changes');
    expect(plan.status).toBe(0);
  });
});
