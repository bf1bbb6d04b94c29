// The drift budget in the refresh scope: its instances are seeds like a change (their dependents refreshed too) with
// reason drift-budget, or read alone (driftBudgetAlone, a refresh-only check) with their inputs served from state.
import { describe, expect, it } from 'vitest';
import { VelocityEngine } from '../../src/engine/velocity-engine.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { buildState } from '../support/state-builder.js';

const engine = new VelocityEngine(
  StateGraph.fromState(
    buildState([
      { name: 'controller' },
      { name: 'site', dependencies: ['terraform_data.controller'] },
      { name: 'device', keys: ['a', 'b'], dependencies: ['terraform_data.site'] },
      { name: 'unrelated' },
    ]),
  ),
);

describe('refreshScope with a drift budget', () => {
  it('plans budget instances like a change: they and their dependents are refreshed, reason drift-budget', () => {
    const scope = engine.computeRefreshScope({ changed: ['terraform_data.unrelated'], driftBudget: ['terraform_data.site', 'terraform_data.unrelated'] });
    expect(scope.refresh).toEqual(['terraform_data.device["a"]', 'terraform_data.device["b"]', 'terraform_data.site', 'terraform_data.unrelated']);
    expect(scope.static).toEqual(['terraform_data.controller']);
    expect(scope.reasons.get('terraform_data.site')).toEqual({ kind: 'drift-budget' });
    expect(scope.reasons.get('terraform_data.device["a"]')).toEqual({ kind: 'downstream', of: 'terraform_data.site' });
    expect(scope.reasons.get('terraform_data.unrelated')).toEqual({ kind: 'changed' }); // changed wins
  });

  it('alone: refreshes only the budget instances, their inputs from state, their dependents untouched', () => {
    const scope = engine.computeRefreshScope({ driftBudget: ['terraform_data.site'], driftBudgetAlone: true });
    expect(scope.refresh).toEqual(['terraform_data.site']);
    expect(scope.static).toEqual(['terraform_data.controller']);
    expect(scope.untouched).toBe(3);
    expect(scope.reasons.get('terraform_data.site')).toEqual({ kind: 'drift-budget' });
    expect(scope.reasons.get('terraform_data.controller')).toEqual({ kind: 'upstream', of: 'terraform_data.site' });
  });
});
