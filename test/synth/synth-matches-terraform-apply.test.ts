// The synthesised state is byte for byte what Terraform 1.11.4 writes when it applies the synthesised config,
// once ids (random UUIDs), lineage and serial are normalised: same layout, order, dependencies, formatting.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { synthWorkspace, type SynthShapeName } from '../../src/synth/synth-workspace.js';
import { TERRAFORM, terraform } from './terraform-workspace.js';

const root = mkdtempSync(join(tmpdir(), 'velocity-synth-apply-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Replaces each distinct UUID by its order of first appearance, and the serial by 0. */
function normalise(text: string): string {
  const seen = new Map<string, string>();
  return text
    .replace(UUID, (u) => {
      if (!seen.has(u)) seen.set(u, `uuid-${seen.size}`);
      return seen.get(u) as string;
    })
    .replace(/"serial": \d+/, '"serial": 0');
}

const cases: [SynthShapeName, number][] = [
  ['customers', 101],
  ['chain', 6],
  ['wide', 5],
  ['random', 70],
];

describe.skipIf(!TERRAFORM)('synth: identical to what terraform apply writes', () => {
  it.each(cases)('%s with %i resources', async (shape, resources) => {
    const synthDir = join(root, `${shape}-synth`);
    const applyDir = join(root, `${shape}-apply`);
    await synthWorkspace({ shape, resources, seed: 3, outDir: synthDir });
    cpSync(synthDir, applyDir, { recursive: true, filter: (src) => !src.endsWith('terraform.tfstate') });
    expect(terraform(applyDir, ['init', '-input=false']).status).toBe(0);
    expect(terraform(applyDir, ['apply', '-auto-approve', '-input=false']).status).toBe(0);
    const ours = normalise(readFileSync(join(synthDir, 'terraform.tfstate'), 'utf8'));
    const theirs = normalise(readFileSync(join(applyDir, 'terraform.tfstate'), 'utf8'));
    expect(ours).toBe(theirs);
  });
});
