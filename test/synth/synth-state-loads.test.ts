// A synthesised customers state loads with parseState: the expected instance count, dependency strings exactly as
// Terraform records them, and a graph whose device cone is the 7 instances the baseline research counted.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { topCone } from '../../src/cone/top-cone.js';
import { bottomCone } from '../../src/cone/bottom-cone.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { parseState } from '../../src/state/parse-state.js';
import { synthWorkspace } from '../../src/synth/synth-workspace.js';

const root = mkdtempSync(join(tmpdir(), 'velocity-synth-load-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('synth customers state', () => {
  it('has 1 + 100 per customer instances with Terraform-style dependencies', async () => {
    const s = await synthWorkspace({ shape: 'customers', resources: 301, seed: 9, outDir: join(root, 'c') });
    expect(s.instances).toBe(301);
    expect(s.facts['customers']).toBe(3);
    const state = parseState(readFileSync(s.statePath), 'synth');
    expect(state.instances).toHaveLength(301);
    expect(state.meta.terraformVersion).toBe('1.11.4');
    expect(state.meta.lineage).toBe(s.lineage);
    const byName = (n: string) => state.instances.filter((r) => r.name === n);
    expect(byName('controller')).toHaveLength(1);
    expect(byName('site')).toHaveLength(3);
    expect(byName('tunnel')).toHaveLength(12);
    expect(byName('device')).toHaveLength(285);
    const device = state.instances.find((r) => r.module === 'module.customer["c00001"]' && r.indexKey === 'd07');
    expect(device?.dependencies).toEqual(['module.customer.terraform_data.site', 'module.customer.terraform_data.tunnel', 'terraform_data.controller']);
    expect(byName('site')[0]?.dependencies).toEqual(['terraform_data.controller']);
    expect(byName('tunnel')[0]?.dependencies).toEqual(['module.customer.terraform_data.site', 'terraform_data.controller']);

    const graph = StateGraph.fromState(state);
    expect(graph.warnings).toEqual([]);
    const dev = 'module.customer["c00001"].terraform_data.device["d07"]';
    expect(topCone(graph, [dev])).toHaveLength(7);
    expect(bottomCone(graph, ['module.customer["c00002"].terraform_data.site'])).toHaveLength(100);
    expect(bottomCone(graph, ['terraform_data.controller'])).toHaveLength(301);
  });

  it('rounds other sizes to whole customers (about 200 resources is 2 customers)', async () => {
    const s = await synthWorkspace({ shape: 'customers', resources: 230, seed: 1, outDir: join(root, 'r') });
    expect(s.facts['customers']).toBe(2);
    expect(s.instances).toBe(201);
  });
});
