// The customers shape's `device_settings` variable is how a benchmark edits ONE device: an entry for
// "customer/device" changes that device's input and nothing else (plan: exactly that address, one update).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { synthWorkspace } from '../../src/synth/synth-workspace.js';
import { TERRAFORM, terraform } from './terraform-workspace.js';

const root = mkdtempSync(join(tmpdir(), 'velocity-synth-settings-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(!TERRAFORM)('synth customers: device_settings', () => {
  it('an entry for one device plans exactly one in-place update of that device', async () => {
    const dir = join(root, 'ws');
    await synthWorkspace({ shape: 'customers', resources: 301, seed: 8, outDir: dir });
    const main = join(dir, 'main.tf');
    const text = readFileSync(main, 'utf8');
    expect(text).toContain('  default = {}\n');
    writeFileSync(main, text.replace('  default = {}\n', '  default = { "c00001/d07" = { firmware = "2.0" } }\n'));
    expect(terraform(dir, ['init', '-input=false']).status).toBe(0);
    const plan = terraform(dir, ['plan', '-refresh=false', '-input=false']);
    expect(plan.status).toBe(0);
    expect(plan.output).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
    expect(plan.output.match(/^ {2}# \S+ will be updated in-place$/gm)).toEqual(['  # module.customer["c00001"].terraform_data.device["d07"] will be updated in-place']);
    expect(plan.output).toContain('+ firmware = "2.0"');
  });
});
