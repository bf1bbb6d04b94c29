// The differential's comparator and oracle cannot pass vacuously: comparePlans catches each forbidden difference,
// catches the plan of a different edit of the same workspace, and finds none between terraform's full plan and
// velocity's full mode (which runs the same plan), so a clean differential means the plans really are equal.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editArb, type InjectWorkspace, writeWorkspace } from './support/inject-workspace-arb.js';
import { clearDifferentialCache, comparePlans, runDifferentialCase, type PlanDocument } from './support/plan-diff.js';
import { tfBinary, tfEnv } from './support/terraform-env.js';
import fc from 'fast-check';

const change = (address: string, actions: string[], after: unknown, sensitive: unknown = {}) => ({
  address,
  change: { actions, after, after_unknown: {}, after_sensitive: sensitive },
});

const base: PlanDocument = {
  resource_changes: [change('terraform_data.a', ['update'], { input: 'x2' }), change('terraform_data.b', ['no-op'], { input: 'y' })],
  output_changes: { a: { actions: ['update'], after: 'x2', after_unknown: false, after_sensitive: false } },
};

describe('comparePlans', () => {
  it('finds no difference between a plan and itself, nor for a scoped plan leaving out only no-ops', () => {
    expect(comparePlans(base, base)).toEqual([]);
    expect(comparePlans(base, { ...base, resource_changes: [base.resource_changes?.[0] as never] })).toEqual([]);
  });

  it('lists a changed resource the scoped plan misses, and an address only the scoped plan has', () => {
    const scoped: PlanDocument = { ...base, resource_changes: [change('terraform_data.b', ['no-op'], { input: 'y' }), change('terraform_data.c', ['create'], {})] };
    const diffs = comparePlans(base, scoped);
    expect(diffs).toHaveLength(2);
    expect(diffs.some((d) => d.startsWith('terraform_data.a:') && d.includes("outside velocity's cone"))).toBe(true);
    expect(diffs.some((d) => d.startsWith('terraform_data.c:') && d.includes('not in the full plan'))).toBe(true);
  });

  it('lists differing actions, after, after_unknown and after_sensitive', () => {
    const scoped: PlanDocument = {
      ...base,
      resource_changes: [
        { address: 'terraform_data.a', change: { actions: ['delete', 'create'], after: { input: 'x3' }, after_unknown: { output: true }, after_sensitive: { input: true } } },
      ],
    };
    const fields = comparePlans(base, scoped).map((d) => d.split(' ')[1]);
    expect(fields.sort()).toEqual(['actions', 'after', 'after_sensitive', 'after_unknown']);
  });

  it('lists a changed output the scoped plan misses or plans differently (unless outputs are skipped)', () => {
    const missing = comparePlans(base, { ...base, output_changes: {} });
    expect(missing).toHaveLength(1);
    expect(missing[0]?.startsWith('output.a:')).toBe(true);
    const sensitive = comparePlans(base, { ...base, output_changes: { a: { actions: ['update'], after: 'x2', after_unknown: false, after_sensitive: true } } });
    expect(sensitive).toHaveLength(1);
    expect(sensitive[0]?.startsWith('output.a: after_sensitive')).toBe(true);
    expect(comparePlans(base, { ...base, output_changes: {} }, { outputs: false })).toEqual([]);
  });
});

const workspace: InjectWorkspace = {
  svcMode: 'map',
  svcKeys: ['eu', 'us'],
  bCount: 1,
  svcTag: 'alpha',
  leafTag: 'bravo',
  poolCount: 1,
  roots: [
    { value: 'charlie', label: true, prefix: true, remote: true, reads: [], replaceOnChange: false },
    { value: 'delta', label: false, prefix: false, remote: false, reads: [0], dependsOn: 0, replaceOnChange: true },
  ],
  solo: true,
  remote: true,
  secret: 'echo',
  label: 'fox',
  prefix: 'golf',
};

describe.runIf(tfBinary)('the differential oracle on a real workspace (skipped only when no tofu/terraform is installed)', () => {
  const binary = tfBinary as string;
  let applied: string;
  beforeAll(() => {
    applied = mkdtempSync(join(tmpdir(), 'velocity-plan-diff-'));
    writeWorkspace(applied, workspace);
    execFileSync(binary, ['init', '-input=false', '-no-color'], { cwd: applied, env: tfEnv(), stdio: 'pipe' });
    execFileSync(binary, ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: applied, env: tfEnv(), stdio: 'pipe' });
  }, 180_000);
  afterAll(() => {
    rmSync(applied, { recursive: true, force: true });
    clearDifferentialCache();
  });

  const planOf = (edited: InjectWorkspace, planArgs: readonly string[] = []): PlanDocument => {
    const dir = mkdtempSync(join(tmpdir(), 'velocity-plan-diff-edit-'));
    try {
      cpSync(applied, dir, { recursive: true });
      writeWorkspace(dir, edited);
      execFileSync(binary, ['plan', '-input=false', '-no-color', '-out=p.tfplan', ...planArgs], { cwd: dir, env: tfEnv(), stdio: 'pipe' });
      return JSON.parse(execFileSync(binary, ['show', '-json', 'p.tfplan'], { cwd: dir, env: tfEnv(), encoding: 'utf8' })) as PlanDocument;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('catches the full plan of a different edit of the same workspace', () => {
    const r1 = planOf({ ...workspace, roots: workspace.roots.map((r, i) => (i === 1 ? { ...r, value: 'other' } : r)) });
    const svc = planOf({ ...workspace, svcTag: 'other' });
    expect(comparePlans(r1, r1)).toEqual([]);
    const diffs = comparePlans(r1, svc);
    // What only one of the two edits changes is reported, from both sides.
    expect(diffs.some((d) => d.startsWith('terraform_data.r1:'))).toBe(true);
    expect(diffs.some((d) => d.startsWith('module.svc["eu"].terraform_data.a:'))).toBe(true);
    // Another value of the sensitive variable: show -json holds sensitive values (marked in after_sensitive).
    const secret = comparePlans(planOf(workspace, ['-var=secret=one']), planOf(workspace));
    expect(secret.some((d) => d.startsWith('terraform_data.vault:'))).toBe(true);
  }, 120_000);

  it("finds no difference between terraform's plan and velocity's full mode for every kind of edit", async () => {
    const edits = fc.sample(editArb(workspace), { numRuns: 40, seed: 11 });
    const kinds = [...new Set(edits.map((e) => e.kind))].sort();
    expect(kinds.length).toBeGreaterThanOrEqual(8);
    for (const kind of kinds) {
      const edit = edits.find((e) => e.kind === kind);
      const outcome = await runDifferentialCase({ workspace, edit: edit as never }, binary, { mode: 'full', ledger: false });
      expect(outcome.execution, kind).toBe('full');
      expect(outcome.differences, `${kind}: ${edit?.description}`).toEqual([]);
      expect([0, 2]).toContain(outcome.fullExitCode);
    }
  }, 300_000);
});
