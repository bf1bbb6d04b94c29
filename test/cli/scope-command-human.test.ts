// The human view of `velocity scope` ends with the savings line.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-harness.js';

describe('velocity scope (human)', () => {
  it('ends with the Refreshing state line', async () => {
    const r = await runCli(['scope', '--state', 'fixtures/demo/terraform.tfstate', '--changed', 'module.customer["acme"].terraform_data.device["d2"]', '--verbose']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('Refreshing state... [Velocity: 2/35 resources (94.2% savings)]');
    expect(r.stdout).toContain('terraform_data.inventory  (depends on module.customer["acme"].terraform_data.device["d2"])');
  });
});
