// computeRefreshScope: sets, a reason per node, tainted and data sources promoted, full strategy and fallbacks,
// and static injection switched off for runners that cannot serve cached state.
import { describe, expect, it } from 'vitest';
import { VelocityEngine } from '../../src/engine/velocity-engine.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { buildState } from '../support/state-builder.js';

const graph = StateGraph.fromState(
  buildState([
    { name: 'controller' },
    { mode: 'data', type: 'ext', name: 'ami' },
    { name: 'old', tainted: true },
    { name: 'site', dependencies: ['terraform_data.controller', 'data.ext.ami', 'terraform_data.old'] },
    { name: 'device', keys: ['a', 'b'], dependencies: ['terraform_data.site'] },
    { name: 'monitor', dependencies: ['terraform_data.device'] },
    { name: 'unrelated' },
  ]),
);
const engine = new VelocityEngine(graph);

describe('VelocityEngine.computeRefreshScope', () => {
  it('optimized: refresh the change and its blast radius, keep inputs cached, explain each', () => {
    const scope = engine.computeRefreshScope({ changed: ['terraform_data.device["a"]'] });
    expect(scope.strategy).toBe('optimized');
    expect(scope.refresh).toEqual(['data.ext.ami', 'terraform_data.device["a"]', 'terraform_data.monitor', 'terraform_data.old']);
    expect(scope.static).toEqual(['terraform_data.controller', 'terraform_data.device["b"]', 'terraform_data.site']);
    expect(scope.untouched).toBe(1);
    expect(scope.total).toBe(8);
    expect(scope.savings).toBeCloseTo(0.5);
    expect(scope.reasons.get('terraform_data.device["a"]')).toEqual({ kind: 'changed' });
    expect(scope.reasons.get('terraform_data.monitor')).toEqual({ kind: 'downstream', of: 'terraform_data.device["a"]' });
    expect(scope.reasons.get('terraform_data.site')).toEqual({ kind: 'upstream', of: 'terraform_data.device["a"]' });
    expect(scope.reasons.get('terraform_data.device["b"]')).toEqual({ kind: 'upstream', of: 'terraform_data.monitor' });
    expect(scope.reasons.get('data.ext.ami')).toEqual({ kind: 'data-source', of: 'terraform_data.device["a"]' });
    expect(scope.reasons.get('terraform_data.old')).toEqual({ kind: 'tainted', of: 'terraform_data.device["a"]' });
    expect(scope.reasons.has('terraform_data.unrelated')).toBe(false);
  });

  it('targets are reported as targeted, changed as changed', () => {
    const scope = engine.computeRefreshScope({ targets: ['terraform_data.unrelated'], changed: ['terraform_data.monitor'] });
    expect(scope.refresh).toContain('terraform_data.unrelated');
    expect(scope.reasons.get('terraform_data.unrelated')).toEqual({ kind: 'target' });
    expect(scope.reasons.get('terraform_data.monitor')).toEqual({ kind: 'changed' });
  });

  it('without static injection, inputs count as refreshed', () => {
    const scope = engine.computeRefreshScope({ changed: ['terraform_data.device["a"]'], staticInjection: false });
    expect(scope.static).toEqual([]);
    expect(scope.refresh).toHaveLength(7);
    expect(scope.reasons.get('terraform_data.site')).toEqual({ kind: 'not-injectable', of: 'terraform_data.device["a"]' });
  });

  it('full strategy refreshes everything; a fallback reason forces full and is reported', () => {
    const full = engine.computeRefreshScope({ changed: ['terraform_data.monitor'], strategy: 'full' });
    expect(full).toMatchObject({ strategy: 'full', static: [], untouched: 0, savings: 0 });
    expect(full.refresh).toEqual(graph.addresses());
    const fallback = engine.computeRefreshScope({ changed: ['terraform_data.monitor'], fallbackReason: 'provider block changed' });
    expect(fallback).toMatchObject({ strategy: 'full', fallbackReason: 'provider block changed' });
    expect(fallback.reasons.get('terraform_data.unrelated')).toEqual({ kind: 'full', why: 'provider block changed' });
  });

  it('no change: nothing to refresh', () => {
    expect(engine.computeRefreshScope({})).toMatchObject({ refresh: [], static: [], untouched: 8, savings: 1 });
  });

  it('unknown addresses are ADDRESS_UNKNOWN', () => {
    expect(() => engine.computeRefreshScope({ changed: ['terraform_data.nope'] })).toThrow(expect.objectContaining({ code: 'ADDRESS_UNKNOWN' }));
  });
});
