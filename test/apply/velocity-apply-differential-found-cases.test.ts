// The cases the apply differential found (velocity apply vs a full terraform apply), fixed as examples so they run on
// every pass whatever seed fast-check draws: velocity's merged state must equal the full apply's (see apply-diff.ts).
// Specs are the generator's own (inject-workspace-arb.ts); each case is two applies and a plan (~5-10 s).

import { afterAll, describe, expect, it } from 'vitest';
import { runApplyDifferentialCase } from '../support/apply-diff.js';
import type { InjectWorkspace, RootResource, WorkspaceEdit } from '../support/inject-workspace-arb.js';
import { clearDifferentialCache } from '../support/plan-diff.js';
import { tfBinary } from '../support/terraform-env.js';

const root = (value: string, o: Partial<RootResource> = {}): RootResource => ({ value, label: false, prefix: false, remote: false, reads: [], replaceOnChange: false, ...o });
const edit = (kind: WorkspaceEdit['kind'], description: string, workspace: InjectWorkspace): WorkspaceEdit => ({ kind, description, workspace, planArgs: [] });

// A1 (seed 1419757916): module.svc's leaf reads module.svc's `a`, which reads terraform_data.r0 (a literal in the
// sub-workspace) which reads the remote state; terraform_data.consumer reads `module.svc` whole (b has count 0).
const a1: InjectWorkspace = {
  svcMode: 'set', svcKeys: ['k2'], bCount: 0, svcTag: 'delta', leafTag: 'echo', poolCount: 1, solo: false, remote: true,
  secret: 'charlie', label: 'echo', prefix: 'delta',
  roots: [root('echo', { prefix: true, remote: true }), root('echo', { remote: true, reads: [0], replaceOnChange: true, dependsOn: 0 })],
};

const cases: { name: string; workspace: InjectWorkspace; edit: WorkspaceEdit; ledger: boolean }[] = [
  {
    name: 'A1: instances reading a kept block get its literal dependencies too, and a whole-module reader every block of the module tree',
    workspace: a1, ledger: false, edit: edit('add-key', 'svc key +k1', { ...a1, svcKeys: ['k2', 'k1'] }),
  },
];

describe.runIf(tfBinary)('velocity apply on the cases the apply differential found (skipped only when no tofu/terraform is installed)', () => {
  afterAll(() => clearDifferentialCache());
  for (const c of cases)
    it(c.name, async () => {
      const outcome = await runApplyDifferentialCase({ workspace: c.workspace, edit: c.edit }, tfBinary as string, { mode: 'inject', ledger: c.ledger });
      expect(outcome.execution).toBe('inject');
      expect(outcome.differences, `kept in ${outcome.dir} and ${outcome.fullDir}`).toEqual([]);
    }, 120_000);
  // The fallback applies directly (-target on the real workspace): the same equalities hold, the binary's serials aside.
  it('A1 in target mode: the -target apply leaves the same state as the full apply', async () => {
    const a1case = cases[0] as (typeof cases)[number];
    const outcome = await runApplyDifferentialCase({ workspace: a1case.workspace, edit: a1case.edit }, tfBinary as string, { mode: 'target', ledger: true });
    expect(outcome.execution).toBe('target');
    expect(outcome.merge).toBeUndefined();
    expect(outcome.differences, `kept in ${outcome.dir} and ${outcome.fullDir}`).toEqual([]);
  }, 120_000);
});
