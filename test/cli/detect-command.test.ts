import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli-harness.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { parseDetectArgs } from '../../src/cli/detect-args.js';

const MAIN = 'variable "v" {\n  default = "x"\n}\nresource "terraform_data" "a" {\n  input = var.v\n}\nresource "terraform_data" "b" {\n  input = "b"\n}\n';
const STATE = JSON.stringify({
  version: 4,
  terraform_version: '1.11.4',
  serial: 2,
  lineage: 'cli-lineage',
  outputs: {},
  resources: ['a', 'b'].map((name) => ({
    mode: 'managed',
    type: 'terraform_data',
    name,
    provider: 'provider["terraform.io/builtin/terraform"]',
    instances: [{ schema_version: 0, attributes: { id: name }, sensitive_attributes: [] }],
  })),
});

let ws: TempWorkspace | undefined;
afterEach(() => ws?.cleanup());

describe('velocity detect / velocity ledger record', () => {
  it('says it falls back without a ledger, records one, then reports only the changed instance', async () => {
    ws = tempWorkspace({ 'main.tf': MAIN, 'terraform.tfstate': STATE });
    const first = await runCli(['detect', '--state', 'terraform.tfstate'], { cwd: ws.dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/fallback to probe: no ledger recorded for state lineage cli-lineage/);
    const rec = await runCli(['ledger', 'record', '--state', 'terraform.tfstate', '--json'], { cwd: ws.dir });
    expect(rec.code).toBe(0);
    expect(JSON.parse(rec.stdout)).toMatchObject({ lineage: 'cli-lineage', serial: 2, blocks: 2 });
    const same = await runCli(['detect', '--state', 'terraform.tfstate', '--json', '-var', 'v=x'], { cwd: ws.dir });
    // `-var v=x` gives the same value in another way: counted as a change (sound), never as no change.
    expect(JSON.parse(same.stdout).changed).toEqual(['terraform_data.a']);
    const r = await runCli(['detect', '--state', 'terraform.tfstate', '--json'], { cwd: ws.dir });
    expect(JSON.parse(r.stdout)).toMatchObject({ changed: [], basis: 'ledger', unattributed: [] });
    writeFileSync(join(ws.dir, 'main.tf'), MAIN.replace('input = "b"', 'input = "c"'));
    const human = await runCli(['detect', '--state', 'terraform.tfstate'], { cwd: ws.dir });
    expect(human.stdout).toMatch(/^1 changed instance\(s\) in 1 changed block\(s\)/);
    expect(human.stdout).toContain('  ~ terraform_data.b\n');
  });

  it('exits 2 on usage errors and 1 on a configuration that does not parse', async () => {
    ws = tempWorkspace({ 'main.tf': 'resource "x" {\n', 'terraform.tfstate': STATE });
    expect((await runCli(['detect'], { cwd: ws.dir })).code).toBe(2);
    expect((await runCli(['ledger', 'forget', '--state', 'x'], { cwd: ws.dir })).code).toBe(2);
    const bad = await runCli(['detect', '--state', 'terraform.tfstate', '--no-cache'], { cwd: ws.dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/error\[CONFIG_PARSE\]/);
  });

  it('keeps -var and -var-file in command-line order, in Terraform\'s single-dash spelling', () => {
    const a = parseDetectArgs(['--state', 's', '-var-file=a.tfvars', '-var', 'x=1', '--var-file', 'b.tfvars', '-var=y=2'], true);
    expect(a.varArgs).toEqual([
      { kind: 'file', path: 'a.tfvars' },
      { kind: 'var', value: 'x=1' },
      { kind: 'file', path: 'b.tfvars' },
      { kind: 'var', value: 'y=2' },
    ]);
  });
});
