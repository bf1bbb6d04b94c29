// `velocity cone top|bottom ADDR... --state FILE --json` prints {"nodes": [...]}, roots included, sorted.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-harness.js';

const state = 'fixtures/demo/terraform.tfstate';

describe('velocity cone', () => {
  it('top cone of a device: itself, its site, its tunnels, the controller', async () => {
    const r = await runCli(['cone', 'top', 'module.customer["globex"].terraform_data.device["d3"]', '--state', state, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      nodes: [
        'module.customer["globex"].terraform_data.device["d3"]',
        'module.customer["globex"].terraform_data.site',
        ...['t1', 't2', 't3', 't4'].map((t) => `module.customer["globex"].terraform_data.tunnel["${t}"]`),
        'terraform_data.controller',
      ],
    });
  });
  it('bottom cone of a module instance site includes its blast radius', async () => {
    const r = await runCli(['cone', 'bottom', 'module.customer["acme"].terraform_data.site', '--state', state, '--json']);
    expect(JSON.parse(r.stdout).nodes).toHaveLength(1 + 4 + 6 + 1);
  });
  it('several roots and resource-level addresses are accepted', async () => {
    const r = await runCli(['cone', 'bottom', 'terraform_data.controller', 'module.customer.terraform_data.site', '--state', state, '--json']);
    expect(JSON.parse(r.stdout).nodes).toHaveLength(35);
  });
});
