// The orchestrator flow on the real engine and PostgreSQL: computeRefreshScope → withResourceLocks. Changes to
// different customers run at the same time; a change whose refresh set overlaps waits for the first to finish.
import { describe, it, expect, inject } from 'vitest';
import { StateGraph } from '../../src/graph/state-graph.js';
import { VelocityEngine } from '../../src/engine/velocity-engine.js';
import { PostgresResourceLockManager } from '../../src/lock/postgres-resource-lock-manager.js';
import { newLockInfo } from '../../src/lock/lock-info.js';
import { withResourceLocks } from '../../src/plan/with-resource-locks.js';
import { buildState } from '../support/state-builder.js';
import { dropSchema, freshSchema } from '../lock/helpers/pg-test-schema.js';

describe('computeRefreshScope + withResourceLocks', () => {
  it('locks exactly the refresh set; disjoint changes overlap in time, overlapping ones are serialised', async () => {
    // Customers as in the production profile: a shared controller upstream, per-customer site → tunnel → device.
    const graph = StateGraph.fromState(
      buildState([
        { name: 'controller' },
        ...['acme', 'globex'].flatMap((c) => [
          { module: `module.customer["${c}"]`, name: 'site', dependencies: ['terraform_data.controller'] },
          { module: `module.customer["${c}"]`, name: 'tunnel', keys: ['t1', 't2'], dependencies: ['module.customer.terraform_data.site'] },
          { module: `module.customer["${c}"]`, name: 'device', keys: ['d1', 'd2', 'd3'], dependencies: ['module.customer.terraform_data.tunnel'] },
        ]),
      ]),
    );
    const engine = new VelocityEngine(graph);
    const acme = engine.computeRefreshScope({ changed: ['module.customer["acme"].terraform_data.device["d2"]'] });
    const globex = engine.computeRefreshScope({ changed: ['module.customer["globex"].terraform_data.device["d3"]'] });
    const acmeSite = engine.computeRefreshScope({ changed: ['module.customer["acme"].terraform_data.site'] });
    expect(acme.refresh.some((a) => globex.refresh.includes(a))).toBe(false);
    expect(acme.refresh.every((a) => acmeSite.refresh.includes(a))).toBe(true);

    const url = inject('pgUrl');
    const schema = freshSchema('orch');
    const m = await PostgresResourceLockManager.open({ connectionString: url, schema, leaseMs: 300 });
    const events: string[] = [];
    const op = (name: string, scope: { refresh: readonly string[] }, ms: number) =>
      withResourceLocks(m, scope, newLockInfo({ operation: name }), async ({ handle }) => {
        expect(handle.resources).toEqual([...scope.refresh].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        events.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        events.push(`end ${name}`);
      }, { waitMs: 10_000 });
    // acme holds for longer than its lease: renewal must keep acme-site out until acme ends.
    const first = op('acme', acme, 700);
    await new Promise((r) => setTimeout(r, 50));
    await Promise.all([first, op('globex', globex, 100), op('acme-site', acmeSite, 10)]);
    expect(events.indexOf('start globex')).toBeLessThan(events.indexOf('end acme'));
    expect(events.indexOf('start acme-site')).toBeGreaterThan(events.indexOf('end acme'));
    expect(await m.locks()).toEqual([]);
    await m.close();
    await dropSchema(url, schema);
  });
});
