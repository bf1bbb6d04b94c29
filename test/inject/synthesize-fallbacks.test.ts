// Auto mode injects only what it can carry over soundly: each construct below makes it plan with -target instead,
// naming the construct. A workspace without any of them is the control: it injects.
import { cpSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { velocityPlan } from '../../src/plan/velocity-plan.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

const BASE = `
resource "terraform_data" "a" {
  input = "a"
}

resource "terraform_data" "b" {
  input = "\${terraform_data.a.output}-b"
}

resource "terraform_data" "z" {
  input = "z"
}
`;

describe.runIf(tfBinary)('auto mode falls back to -target for what it cannot inject (skipped only without tofu/terraform)', () => {
  let base: string;
  const dirs: string[] = [];
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'velocity-inject-fb-'));
    writeFileSync(join(base, 'main.tf'), BASE);
    execFileSync(tfBinary as string, ['init', '-input=false', '-no-color'], { cwd: base, env: tfEnv(), stdio: 'ignore' });
    execFileSync(tfBinary as string, ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: base, env: tfEnv(), stdio: 'ignore' });
  }, 120_000);
  afterAll(() => {
    for (const d of [base, ...dirs]) rmSync(d, { recursive: true, force: true });
  });

  /** A copy of the applied base with `extra` configuration added (after the apply) and `prepare` run on it. */
  async function planWith(extra: string, prepare?: (dir: string) => void, changed: string[] = ['terraform_data.b']) {
    const dir = mkdtempSync(join(tmpdir(), 'velocity-inject-case-'));
    dirs.push(dir);
    cpSync(base, dir, { recursive: true });
    appendFileSync(join(dir, 'main.tf'), extra);
    prepare?.(dir);
    return velocityPlan({ cwd: dir, env: tfEnv(), binary: tfBinary as string, changed, mode: 'auto', dryRun: true });
  }

  it('injects the control workspace', async () => {
    const r = await planWith('');
    expect(r).toMatchObject({ mode: 'dry-run', execution: 'inject' });
    expect(r.injectFallback).toBeUndefined();
  });

  const cases: [string, string, RegExp, ((dir: string) => void)?, string[]?][] = [
    ['a moved block', 'moved {\n  from = terraform_data.old\n  to   = terraform_data.a\n}\n', /`moved` block/],
    ['an import block', 'import {\n  to = terraform_data.c\n  id = "x"\n}\nresource "terraform_data" "c" {}\n', /`import` block/],
    ['a removed block', 'removed {\n  from = terraform_data.gone\n  lifecycle {\n    destroy = false\n  }\n}\n', /`removed` block/],
    ['a check block', 'check "up" {\n  assert {\n    condition     = terraform_data.a.output == "a"\n    error_message = "down"\n  }\n}\n', /`check` block/],
    ['a provider-defined function', 'output "enc" {\n  value = provider::terraform::encode_tfvars({ b = terraform_data.b.output })\n}\n', /provider-defined function/],
    ['a module source that is not installed', 'module "remote" {\n  source = "git::https://example.com/x.git"\n}\n', /not local and not installed/],
    ['a file read', 'resource "terraform_data" "f" {\n  input = "${terraform_data.b.output}${file("x.txt")}"\n}\n', /reads a file/, (d) => writeFileSync(join(d, 'x.txt'), 'x'), ['terraform_data.b', 'terraform_data.f']],
    [
      'a static value missing from the state (a dangling reference)', '',
      /dangling reference/, (d) => execFileSync(tfBinary as string, ['state', 'rm', 'terraform_data.a'], { cwd: d, env: tfEnv(), stdio: 'ignore' }),
    ],
    ['for_each keys that depend on a changed value', 'resource "terraform_data" "c" {\n  for_each = toset([terraform_data.b.output])\n  input    = each.key\n}\n', /for_each\/count of .* depends on terraform_data\.b/, undefined, ['terraform_data.b', 'terraform_data.c']],
  ];
  for (const [what, extra, reason, prepare, changed] of cases) {
    it(`plans with -target and says why for ${what}`, async () => {
      const r = await planWith(extra, prepare, changed);
      expect(r).toMatchObject({ mode: 'dry-run', execution: 'target' });
      expect(r.injectFallback).toMatch(reason);
    }, 60_000);
  }
});
