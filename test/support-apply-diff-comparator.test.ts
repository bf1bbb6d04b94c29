// The apply differential's comparator and oracle cannot pass vacuously: compareAppliedStates catches each forbidden
// difference (attributes, stale ids, dependencies, instances, outputs, lineage, serial, an untouched instance
// rewritten), compareWithCloud catches a lost or stale sim object, two full applies of one edit compare equal (the
// generated ids are masked) while those of two edits do not, and velocity's full mode finds none for every edit kind.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareAppliedStates, compareWithCloud, runApplyDifferentialCase, type StateDocument } from './support/apply-diff.js';
import { editArb, writeWorkspace, type InjectWorkspace } from './support/inject-workspace-arb.js';
import { clearDifferentialCache } from './support/plan-diff.js';
import { tfBinary, tfEnv } from './support/terraform-env.js';

const P = 'provider["terraform.io/builtin/terraform"]';
const data = (name: string, id: string, input: string, dependencies?: string[]) => ({
  mode: 'managed', type: 'terraform_data', name, provider: P,
  instances: [{ schema_version: 0, attributes: { id, input: { value: input, type: 'string' } }, sensitive_attributes: [], ...(dependencies ? { dependencies } : {}) }],
});
const doc = (serial: number, resources: unknown[], outputs: Record<string, unknown> = {}, lineage = 'L'): StateDocument => ({ serial, lineage, outputs, resources } as unknown as StateDocument);
const text = (d: StateDocument): string => JSON.stringify(d, null, 2);

/** A velocity/full pair from the same before state; `velocity` and `full` default to before with serial + 1. */
const states = (before: StateDocument, velocity: StateDocument, full: StateDocument) => ({
  beforeVelocity: before, velocity, beforeFull: before, full, beforeVelocityText: text(before), velocityText: text(velocity),
});

describe('compareAppliedStates', () => {
  const before = doc(5, [data('a', 'id-a', 'x'), data('b', 'id-b', 'id-a', ['terraform_data.a']), data('c', 'id-c', 'c')], { o: { value: 'id-a', type: 'string' } });
  // The edit replaced `a` (a new generated id) and updated b, which reads a's id; c is untouched.
  const applied = (aId: string, bInput = aId, extra: unknown[] = []) =>
    doc(6, [data('a', aId, 'x2'), data('b', 'id-b', bInput, ['terraform_data.a']), data('c', 'id-c', 'c'), ...extra], { o: { value: aId, type: 'string' } });

  it('finds nothing when the states differ only in generated ids and the order of dependencies', () => {
    expect(compareAppliedStates(states(before, applied('uuid-1'), applied('uuid-2')))).toEqual([]);
    const twoDeps = (order: string[]) => doc(6, [data('a', 'id-a', 'x2'), data('b', 'id-b', 'id-a', order), data('c', 'id-c', 'c')], { o: { value: 'id-a', type: 'string' } });
    expect(compareAppliedStates(states(before, twoDeps(['terraform_data.a', 'terraform_data.c']), twoDeps(['terraform_data.c', 'terraform_data.a'])))).toEqual([]);
  });

  it('catches a stale id, a differing attribute, dependencies, instances and outputs, one sorted line each', () => {
    // b still holds the old id of the replaced a: not masked, since no instance has that id any more.
    expect(compareAppliedStates(states(before, applied('uuid-1', 'id-a'), applied('uuid-2')))).toEqual([
      'terraform_data.b: attribute input {"value":"id-a","type":"string"}, full apply {"value":"<id of terraform_data.a>","type":"string"}',
    ]);
    const wrong = doc(6, [data('a', 'uuid-1', 'x3'), data('b', 'id-b', 'uuid-1'), data('d', 'id-d', 'd')], { o: { value: 'uuid-1', type: 'number' } });
    const diffs = compareAppliedStates(states(before, wrong, applied('uuid-2', 'uuid-2', [data('e', 'id-e', 'e')])));
    expect(diffs).toEqual([...diffs].sort());
    expect(diffs).toEqual(
      expect.arrayContaining([
        'terraform_data.a: attribute input {"value":"x3","type":"string"}, full apply {"value":"x2","type":"string"}',
        'terraform_data.b: dependencies undefined, full apply ["terraform_data.a"]',
        "terraform_data.c: in the full apply's state but not in velocity's",
        "terraform_data.d: in velocity's state but not in the full apply's",
        "terraform_data.e: in the full apply's state but not in velocity's",
        'output.o: {"value":"<id of terraform_data.a>","type":"number"}, full apply {"value":"<id of terraform_data.a>","type":"string"}',
      ]),
    );
  });

  it('catches a lost lineage, a wrong serial, and an untouched instance rewritten (even only reordered)', () => {
    const full = applied('uuid-2');
    expect(compareAppliedStates(states(before, { ...applied('uuid-1'), lineage: 'M' }, full))).toEqual(['lineage M, before the apply L']);
    expect(compareAppliedStates(states(before, { ...applied('uuid-1'), serial: 7 }, full))).toEqual(['serial 7, expected 6 (changed; 5 before the apply)']);
    expect(compareAppliedStates(states(before, { ...before, serial: 6 }, before))).toEqual(expect.arrayContaining(['serial 6, expected 5 (unchanged; 5 before the apply)']));
    // The binary's own apply (target, full) may write several snapshots, but never goes back.
    expect(compareAppliedStates({ ...states(before, { ...applied('uuid-1'), serial: 9 }, full), merged: false })).toEqual([]);
    expect(compareAppliedStates({ ...states(before, { ...applied('uuid-1'), serial: 5 }, full), merged: false })).toEqual(['serial 5, expected at least 6 (changed; 5 before the apply)']);
    // c's JSON with its keys in another order: equal as a value, but the merge contract is byte for byte.
    const reordered = applied('uuid-1');
    const c = (reordered.resources as unknown as { instances: Record<string, unknown>[] }[])[2]!;
    const { schema_version, ...rest } = c.instances[0]!;
    c.instances[0] = { ...rest, schema_version };
    const diffs = compareAppliedStates(states(before, reordered, full));
    expect(diffs).toHaveLength(1);
    expect(diffs[0]).toMatch(/^terraform_data\.c: the full apply left it unchanged but velocity's state changed it/);
  });
});

describe('compareWithCloud', () => {
  const sim = (name: string, id: string, value: string) => ({
    mode: 'managed', type: 'sim_resource', name, provider: 'provider["registry.terraform.io/example/sim"]',
    instances: [{ schema_version: 0, attributes: { id, name: `ns/${name}`, inputs: null, value }, sensitive_attributes: [] }],
  });
  const state = doc(1, [sim('a', 'sim-ns/a', 'v'), sim('b', 'sim-ns/b', 'v')]);
  it('finds nothing when the state is the cloud, and ignores other namespaces', () => {
    const cloud = [{ id: 'sim-ns/a', name: 'ns/a', inputs: null, value: 'v' }, { id: 'sim-ns/b', name: 'ns/b', inputs: null, value: 'v' }, { id: 'sim-ns2/c', name: 'ns2/c', inputs: null, value: 'v' }];
    expect(compareWithCloud('A', state, 'ns', cloud)).toEqual([]);
  });
  it('catches a stale object, an object missing from the cloud, and one missing from the state', () => {
    const cloud = [{ id: 'sim-ns/a', name: 'ns/a', inputs: null, value: 'w' }, { id: 'sim-ns/x', name: 'ns/x', inputs: null, value: 'v' }];
    expect(compareWithCloud('A', state, 'ns', cloud)).toEqual([
      'A: sim_resource.a is {"id":"sim-ns/a","name":"ns/a","inputs":null,"value":"v"} in the state, {"id":"sim-ns/a","name":"ns/a","inputs":null,"value":"w"} in the sim cloud',
      'A: sim_resource.b (sim-ns/b) is not in the sim cloud',
      'A: the sim cloud holds sim-ns/x, which the state does not',
    ]);
  });
});

const workspace: InjectWorkspace = {
  svcMode: 'map', svcKeys: ['eu', 'us'], bCount: 1, svcTag: 'alpha', leafTag: 'bravo', poolCount: 1, solo: true, remote: true,
  secret: 'echo', label: 'fox', prefix: 'golf',
  roots: [
    { value: 'charlie', label: true, prefix: true, remote: true, reads: [], replaceOnChange: false },
    { value: 'delta', label: false, prefix: false, remote: false, reads: [0], dependsOn: 0, replaceOnChange: true },
  ],
};

describe.runIf(tfBinary)('the apply differential oracle on a real workspace (skipped only when no tofu/terraform is installed)', () => {
  const binary = tfBinary as string;
  let applied: string;
  beforeAll(() => {
    applied = mkdtempSync(join(tmpdir(), 'velocity-apply-diff-'));
    writeWorkspace(applied, workspace);
    execFileSync(binary, ['init', '-input=false', '-no-color'], { cwd: applied, env: tfEnv(), stdio: 'pipe' });
    execFileSync(binary, ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: applied, env: tfEnv(), stdio: 'pipe' });
  }, 180_000);
  afterAll(() => {
    rmSync(applied, { recursive: true, force: true });
    clearDifferentialCache();
  });

  /** The state before and after a plain `terraform apply` of `edited` (after tainting `taint`) on a copy. */
  const applyOf = (edited: InjectWorkspace, taint?: string): { before: string; after: string } => {
    const dir = mkdtempSync(join(tmpdir(), 'velocity-apply-diff-edit-'));
    try {
      cpSync(applied, dir, { recursive: true });
      writeWorkspace(dir, edited);
      if (taint !== undefined) execFileSync(binary, ['taint', '-no-color', taint], { cwd: dir, env: tfEnv(), stdio: 'pipe' });
      const before = readFileSync(join(dir, 'terraform.tfstate'), 'utf8');
      execFileSync(binary, ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: dir, env: tfEnv(), stdio: 'pipe' });
      return { before, after: readFileSync(join(dir, 'terraform.tfstate'), 'utf8') };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const compare = (v: { before: string; after: string }, f: { before: string; after: string }): string[] =>
    compareAppliedStates({
      beforeVelocity: JSON.parse(v.before) as StateDocument, velocity: JSON.parse(v.after) as StateDocument,
      beforeFull: JSON.parse(f.before) as StateDocument, full: JSON.parse(f.after) as StateDocument, beforeVelocityText: v.before, velocityText: v.after,
      merged: false,
    });

  it('finds two applies of one replacing edit equal, and catches the apply of a different edit', () => {
    // A taint of vault replaces it: a new random id in each copy, read by output.vault_id.
    const one = applyOf(workspace, 'terraform_data.vault');
    const two = applyOf(workspace, 'terraform_data.vault');
    expect(JSON.parse(one.after).outputs.vault_id.value).not.toBe(JSON.parse(two.after).outputs.vault_id.value);
    expect(compare(one, two)).toEqual([]);
    const svc = applyOf({ ...workspace, svcTag: 'other' });
    const r1 = applyOf({ ...workspace, roots: workspace.roots.map((r, i) => (i === 1 ? { ...r, value: 'other' } : r)) });
    const diffs = compare(r1, svc);
    expect(diffs.some((d) => d.startsWith('terraform_data.r1: attribute input'))).toBe(true);
    expect(diffs.some((d) => d.startsWith('module.svc["eu"].terraform_data.a: attribute input'))).toBe(true);
  }, 120_000);

  it("finds no difference between terraform's apply and velocity's full mode for every kind of edit", async () => {
    const edits = fc.sample(editArb(workspace), { numRuns: 40, seed: 11 });
    const kinds = [...new Set(edits.map((e) => e.kind))].sort();
    expect(kinds.length).toBeGreaterThanOrEqual(8);
    for (const kind of kinds) {
      const edit = edits.find((e) => e.kind === kind);
      const outcome = await runApplyDifferentialCase({ workspace, edit: edit as never }, binary, { mode: 'full', ledger: false });
      expect(outcome.execution, kind).toBe('full');
      expect(outcome.velocityExitCode, kind).toBe(0);
      expect(outcome.planExitCode, kind).toBe(0);
      expect(outcome.differences, `${kind}: ${edit?.description}`).toEqual([]);
    }
  }, 300_000);
});
