import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

const root = resolve(import.meta.dirname, '../..');

describe('npm run demo (scripts/demo.ts)', () => {
  it.runIf(tfBinary)('runs velocity plan and apply on a temporary copy of fixtures/demo: savings line, merge, a clean full plan', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], { cwd: root, env: tfEnv(), encoding: 'utf8', timeout: 240_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Refreshing state\.\.\. \[Velocity: \d+\/35 resources \(\d+\.\d% savings\)\]/);
    expect(r.stdout.replace(/\u001b\[[0-9;]*m/g, '')).toContain('module.customer["acme"].terraform_data.device["d2"] will be updated in-place');
    expect(r.stdout).toMatch(/Velocity: merged the sub-workspace into the state: serial (\d+) -> \d+/);
    expect(r.stdout).toContain('Velocity: ledger recorded at state serial');
    expect(r.stdout).toContain('No changes (exit 0).');
    expect(spawnSync('git', ['status', '--porcelain', 'fixtures'], { cwd: root, encoding: 'utf8' }).stdout).toBe('');
  });

  it('falls back to velocity scope on the bundled state when no binary is on PATH', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], { cwd: root, env: { PATH: '/nonexistent' }, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('No tofu/terraform on PATH');
    expect(r.stdout).toMatch(/Refreshing state\.\.\. \[Velocity: 2\/35 resources/);
  });
});
