// The cases the inject differential found (see /work/wt/inject-failures.md F1-F5), fixed as examples so they
// run on every pass whatever seed fast-check draws: each inject plan must equal the full terraform plan.
// Specs are the generator's own (inject-workspace-arb.ts); each case is an apply and two plans (~1-2 s).

import { afterAll, describe, expect, it } from 'vitest';
import type { InjectWorkspace, RootResource, WorkspaceEdit } from '../support/inject-workspace-arb.js';
import { clearDifferentialCache, runDifferentialCase } from '../support/plan-diff.js';
import { tfBinary } from '../support/terraform-env.js';

const root = (value: string, o: Partial<RootResource> = {}): RootResource => ({ value, label: false, prefix: false, remote: false, reads: [], replaceOnChange: false, ...o });

const f1: InjectWorkspace = {
  svcMode: 'count', svcKeys: ['eu', 'é'], bCount: 2, svcTag: 'delta', leafTag: 'golf', poolCount: 1, solo: false, remote: true,
  secret: 'alpha', label: 'alpha', prefix: 'golf',
  roots: [root('golf'), root('fox', { label: true, prefix: true, remote: true, reads: [0], dependsOn: 0 }), root('bravo', { reads: [0], replaceOnChange: true, dependsOn: 0 })],
};
const f2: InjectWorkspace = {
  svcMode: 'count', svcKeys: ['eu'], bCount: 1, svcTag: 'alpha', leafTag: 'charlie', poolCount: 0, solo: true, remote: true,
  secret: 'alpha', label: 'delta', prefix: 'bravo', roots: [root('echo', { label: true, remote: true, replaceOnChange: true })],
};
const f2b: InjectWorkspace = {
  svcMode: 'map', svcKeys: ['eu', 'é', 'a b'], bCount: 0, svcTag: 'fox', leafTag: 'charlie', poolCount: 1, solo: false, remote: true,
  secret: 'charlie', label: 'echo', prefix: 'echo',
  roots: [root('bravo', { replaceOnChange: true }), root('charlie', { remote: true, reads: [0], dependsOn: 0 }), root('hotel', { remote: true, reads: [0], dependsOn: 0 })],
};
const f4: InjectWorkspace = {
  svcMode: 'map', svcKeys: ['k3', 'é'], bCount: 1, svcTag: 'echo', leafTag: 'hotel', poolCount: 0, pool: false, solo: false, remote: false,
  secret: 'echo', label: 'fox', prefix: 'fox',
  roots: [root('fox', { remote: true, replaceOnChange: true }), root('fox', { label: true, remote: true, replaceOnChange: true, dependsOn: 0 })],
};

const f5: InjectWorkspace = {
  svcMode: 'map', svcKeys: ['k1', 'k2'], bCount: 0, svcTag: 'alpha', leafTag: 'bravo', poolCount: 0, pool: false, solo: false, remote: false,
  secret: 'echo', label: 'fox', prefix: 'golf', roots: [root('delta')],
};

const f3: InjectWorkspace = {
  svcMode: 'count', svcKeys: ['eu', 'us', 'k1'], bCount: 1, svcTag: 'alpha', leafTag: 'bravo', poolCount: 0, solo: false, remote: false,
  secret: 'echo', label: 'fox', prefix: 'delta', roots: [root('golf')],
};

const edit = (kind: WorkspaceEdit['kind'], description: string, workspace: InjectWorkspace): WorkspaceEdit => ({ kind, description, workspace, planArgs: [] });

const cases: { name: string; workspace: InjectWorkspace; edit: WorkspaceEdit; ledger: boolean; mayFallBack?: boolean }[] = [
  { name: 'F1: a kept terraform_remote_state reads ${path.module}/upstream.tfstate', workspace: f1, ledger: true, edit: edit('var-tfvars', 'tfvars label', { ...f1, label: 'alpha-edited' }) },
  {
    name: 'F2: module.pool (count = 0) shares modules/leaf with module.svc.module.leaf',
    workspace: f2, ledger: true,
    edit: edit('root-attribute', 'r0 literal', { ...f2, roots: [root('echo-edited', { label: true, remote: true, replaceOnChange: true })] }),
  },
  { name: 'F2: module.pool[0] keeps `in` that the shared modules/leaf copy lacks', workspace: f2b, ledger: true, edit: edit('local', 'local.prefix', { ...f2b, prefix: 'echo-edited' }) },
  { name: 'F4: deleting a root resource keeps module.svc with an empty literal map', workspace: f4, ledger: false, edit: edit('delete-resource', 'delete r1', { ...f4, roots: f4.roots.slice(0, 1) }) },
  {
    // local.prefix feeds only output.label and module.pool (count = 0): a plan that skips the output says "no changes".
    name: 'F3: a local read only by a root output and an empty count module (ledger) plans the output change',
    workspace: f3, ledger: true, mayFallBack: true,
    edit: edit('local', 'local.prefix', { ...f3, prefix: 'delta-edited' }),
  },
  {
    // Any execution may answer this one, as long as the creates in every module instance are planned.
    name: 'F5: a count 0 -> 1 inside a for_each module (ledger) plans the creates in every module instance',
    workspace: f5, ledger: true, mayFallBack: true,
    edit: edit('count-change', 'b_count 0 -> 1', { ...f5, bCount: 1 }),
  },
];

describe.runIf(tfBinary)('inject mode on the cases the differential found (skipped only when no tofu/terraform is installed)', () => {
  afterAll(() => clearDifferentialCache());
  for (const c of cases)
    it(c.name, async () => {
      const outcome = await runDifferentialCase({ workspace: c.workspace, edit: c.edit }, tfBinary as string, { mode: 'inject', ledger: c.ledger });
      if (c.mayFallBack !== true) expect(outcome.execution).toBe('inject');
      expect(outcome.differences, `workspace kept in ${outcome.dir}`).toEqual([]);
    }, 120_000);
  // Target mode on F5: `-target=module.svc.terraform_data.b` (no instance keys) matches nothing; the module call does.
  it('F5 in target mode: a create named without module instance keys is targeted as the module call', async () => {
    const f5case = cases.find((c) => c.name.startsWith('F5')) as (typeof cases)[number];
    const outcome = await runDifferentialCase({ workspace: f5case.workspace, edit: f5case.edit }, tfBinary as string, { mode: 'target', ledger: true });
    expect(outcome.execution).toBe('target');
    expect(outcome.differences, `workspace kept in ${outcome.dir}`).toEqual([]);
  }, 120_000);
});
