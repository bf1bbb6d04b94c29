// `velocity scope --json` prints exactly the stable contract object, addresses sorted as Terraform prints them.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-harness.js';

const state = 'fixtures/demo/terraform.tfstate';

describe('velocity scope --json', () => {
  it('prints {total, refresh, static, untouched, savings, warnings}', async () => {
    const r = await runCli(['scope', '--state', state, '--changed', 'module.customer["acme"].terraform_data.tunnel["t1"]', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['total', 'refresh', 'static', 'untouched', 'savings', 'warnings']);
    expect(out['total']).toBe(35);
    // The state records resource-level dependencies, so every device of acme depends on each of its tunnels.
    expect(out['refresh']).toEqual([
      ...[1, 2, 3, 4, 5, 6].map((d) => `module.customer["acme"].terraform_data.device["d${d}"]`),
      'module.customer["acme"].terraform_data.tunnel["t1"]',
      'terraform_data.inventory',
    ]);
    const refresh = out['refresh'] as string[];
    const statics = out['static'] as string[];
    expect([...refresh].sort()).toEqual(refresh);
    expect([...statics].sort()).toEqual(statics);
    expect(refresh.length + statics.length + (out['untouched'] as number)).toBe(35);
    expect(out['savings']).toBeCloseTo(1 - 8 / 35);
  });

  it('--strategy full refreshes everything', async () => {
    const r = await runCli(['scope', '--state', state, '--strategy', 'full', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ total: 35, static: [], untouched: 0, savings: 0 });
  });

  it('reads the state from stdin with --state -', async () => {
    const { readFileSync } = await import('node:fs');
    const r = await runCli(['scope', '--state', '-', '--target', 'terraform_data.controller', '--json'], { stdin: readFileSync(state) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).refresh).toHaveLength(35);
  });
});
