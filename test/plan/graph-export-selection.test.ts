import { expect, it } from 'vitest';
import { bottomCone } from '../../src/cone/bottom-cone.js';
import { changeCone } from '../../src/cone/change-cone.js';
import { reduction } from '../../src/cone/reduction.js';
import { savingsLine } from '../../src/cone/savings-line.js';
import { topCone } from '../../src/cone/top-cone.js';
import { VelocityEngine } from '../../src/engine/velocity-engine.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { graphExportView } from '../../src/plan/graph-export.js';
import { parseState } from '../../src/state/parse-state.js';
import { syntheticState } from '../support/synthetic-state.js';
import { EKS_FIXTURE, describeWithFixtures, fixtureGraph } from '../support/fixtures.js';

const focus = ['module.eks.aws_iam_role.cluster[0]'];
const keys = (v: ReturnType<typeof graphExportView>) => v.nodes.map((n) => n.key);

describeWithFixtures('graphExportView selects cones of the focus and marks roles as the engine scopes them', () => {
  const graph = fixtureGraph(EKS_FIXTURE);
  it('--cone top, bottom, both and change export exactly those cones', () => {
    expect(keys(graphExportView(graph, { focus, cone: 'top' }))).toEqual(topCone(graph, focus));
    expect(keys(graphExportView(graph, { focus, cone: 'bottom' }))).toEqual(bottomCone(graph, focus));
    expect(keys(graphExportView(graph, { focus, cone: 'both' }))).toEqual([...new Set([...topCone(graph, focus), ...bottomCone(graph, focus)])].sort());
    const cc = changeCone(graph, { changed: focus });
    expect(keys(graphExportView(graph, { focus, cone: 'change' }))).toEqual([...cc.refresh, ...cc.static].sort());
  });

  it('--depth K keeps nodes at most K hops away (both directions by default)', () => {
    const one = keys(graphExportView(graph, { focus, depth: 1 }));
    const expected = [...new Set([...topCone(graph, focus, { maxDepth: 1 }), ...bottomCone(graph, focus, { maxDepth: 1 })])].sort();
    expect(one).toEqual(expected);
    expect(keys(graphExportView(graph, { focus, depth: 0 }))).toEqual(focus);
    // In a state with long chains (sites → networks → monitors), one hop is strictly less than the whole cone.
    const chain = StateGraph.fromState(parseState(syntheticState(40 + 20 * 5)));
    const site = ['module.customer["c00001"].terraform_data.site'];
    const near = keys(graphExportView(chain, { focus: site, cone: 'bottom', depth: 1 }));
    expect(near).toEqual(bottomCone(chain, site, { maxDepth: 1 }));
    expect(near).not.toContain('module.customer["c00001"].terraform_data.monitor[0]');
    expect(keys(graphExportView(chain, { focus: site, cone: 'bottom' }))).toContain('module.customer["c00001"].terraform_data.monitor[0]');
  });

  it('roles and the savings line are those of the engine for the focus as the changed set', () => {
    const view = graphExportView(graph, { focus });
    const scope = new VelocityEngine(graph).computeRefreshScope({ changed: focus });
    for (const n of view.nodes) {
      const expected = focus.includes(n.key) ? 'changed' : scope.refresh.includes(n.key) ? 'refresh' : scope.static.includes(n.key) ? 'static' : 'untouched';
      expect(n.attributes.role).toBe(expected);
    }
    expect(view.attributes.summary).toBe(savingsLine(reduction(scope.refresh.length, graph.size)));
    expect(view.nodes).toHaveLength(graph.size);
  });

  it('a module address as focus means every instance in it; no focus means no roles', () => {
    const view = graphExportView(graph, { focus: ['module.vpc'] });
    expect(view.focus.length).toBe(graph.addresses().filter((a) => a.startsWith('module.vpc.')).length);
    expect(graphExportView(graph).nodes.every((n) => n.attributes.role === undefined)).toBe(true);
  });

  it('typed errors: a cone without focus, an unknown focus, a bad depth', () => {
    expect(() => graphExportView(graph, { cone: 'top' })).toThrow(expect.objectContaining({ code: 'EXPORT_BAD_OPTION' }));
    expect(() => graphExportView(graph, { focus: ['aws_vpc.nope'] })).toThrow(expect.objectContaining({ code: 'ADDRESS_UNKNOWN' }));
    expect(() => graphExportView(graph, { focus, depth: -1 })).toThrow(expect.objectContaining({ code: 'EXPORT_BAD_OPTION' }));
  });
});
