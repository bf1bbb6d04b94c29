import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { plainLocalStatePath } from '../../src/tf/local-state-path.js';

const root = mkdtempSync(join(tmpdir(), 'velocity-localstate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function workdir(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('plainLocalStatePath', () => {
  it('returns terraform.tfstate of a plain local working directory in the default workspace', () => {
    const dir = workdir('plain', { 'terraform.tfstate': '{}', '.terraform/modules/modules.json': '{}' });
    expect(plainLocalStatePath(dir, {})).toBe(join(dir, 'terraform.tfstate'));
    expect(plainLocalStatePath(workdir('default-ws', { 'terraform.tfstate': '{}', '.terraform/environment': 'default' }), { TF_WORKSPACE: 'default' })).toBeDefined();
  });

  it('defers to `state pull` for a configured backend, another workspace, TF_DATA_DIR, or no/empty state file', () => {
    expect(plainLocalStatePath(workdir('backend', { 'terraform.tfstate': '{}', '.terraform/terraform.tfstate': '{"backend":{}}' }), {})).toBeUndefined();
    expect(plainLocalStatePath(workdir('ws', { 'terraform.tfstate': '{}', '.terraform/environment': 'staging' }), {})).toBeUndefined();
    expect(plainLocalStatePath(workdir('plain2', { 'terraform.tfstate': '{}' }), { TF_WORKSPACE: 'prod' })).toBeUndefined();
    expect(plainLocalStatePath(workdir('plain3', { 'terraform.tfstate': '{}' }), { TF_DATA_DIR: '/x' })).toBeUndefined();
    expect(plainLocalStatePath(workdir('nostate', { 'main.tf': '' }), {})).toBeUndefined();
    expect(plainLocalStatePath(workdir('empty', { 'terraform.tfstate': '' }), {})).toBeUndefined();
  });
});
