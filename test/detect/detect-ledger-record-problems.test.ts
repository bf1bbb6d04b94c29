// Issue 16 item 10: `ledger record` never stays silent. A module source directory that is missing is a warning
// (stderr, and `warnings` in --json); a corrupt ledger is LEDGER_INVALID saying how to recover, and `--force`
// replaces it.

import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigChangeDetector } from '../../src/detect/config-change-detector.js';
import { readLedger } from '../../src/detect/ledger.js';
import { runCli } from '../support/cli-harness.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { smallState } from '../support/small-state.js';

const STATE_JSON = JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 2, lineage: 'rec-lineage', outputs: {}, resources: [] });

let ws: TempWorkspace | undefined;
afterEach(() => ws?.cleanup());

describe('ledger record', () => {
  it('warns about a local module whose source directory is missing', async () => {
    ws = tempWorkspace({ 'main.tf': 'module "net" {\n  source = "./modules/net"\n}\nresource "terraform_data" "a" {\n  input = 1\n}\n', 'terraform.tfstate': STATE_JSON });
    const r = await new ConfigChangeDetector().record({ workingDir: ws.dir, state: smallState(['terraform_data.a']), env: {}, cachePath: false });
    expect(r.warnings.map((w) => w.what)).toEqual(['module.net']);
    const cli = await runCli(['ledger', 'record', '--state', 'terraform.tfstate', '--json', '--no-cache'], { cwd: ws.dir });
    expect(cli.code).toBe(0);
    expect((JSON.parse(cli.stdout) as { warnings: { what: string }[] }).warnings.map((w) => w.what)).toEqual(['module.net']);
    expect(cli.stderr).toMatch(/^warning: module\.net: /m);
  });

  it('a corrupt ledger: LEDGER_INVALID naming --force; with --force it is replaced by a valid one', async () => {
    ws = tempWorkspace({ 'main.tf': 'resource "terraform_data" "a" {\n  input = 1\n}\n', 'terraform.tfstate': STATE_JSON, '.velocity/ledger.json': '{"format": "velocity-ledger", "entries": ' });
    const refused = await runCli(['ledger', 'record', '--state', 'terraform.tfstate', '--no-cache'], { cwd: ws.dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('LEDGER_INVALID');
    expect(refused.stderr).toContain('--force');
    const forced = await runCli(['ledger', 'record', '--state', 'terraform.tfstate', '--no-cache', '--force'], { cwd: ws.dir });
    expect(forced.code).toBe(0);
    const path = join(ws.dir, '.velocity', 'ledger.json');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ format: 'velocity-ledger' });
    expect((await readLedger(path, 'rec-lineage'))?.serial).toBe(2);
  });

  it('--force is a usage error for detect', async () => {
    ws = tempWorkspace({ 'main.tf': 'resource "terraform_data" "a" {\n  input = 1\n}\n', 'terraform.tfstate': STATE_JSON });
    expect((await runCli(['detect', '--state', 'terraform.tfstate', '--force'], { cwd: ws.dir })).code).toBe(2);
  });
});
