// Caches are optional (issue 16 item 6): where `.velocity` or the snapshot cache cannot be written (here a regular
// file where a directory is expected, or a path under /sys: tests run as root, so chmod would not stop them), plan,
// detect and scope still work with one warning[CACHE_SKIPPED] line; a ledger that cannot be written is exit 1.

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-harness.js';
import { stateJson } from '../support/state-builder.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

const MAIN = 'resource "terraform_data" "a" {\n  input = "a"\n}\nresource "terraform_data" "b" {\n  input = terraform_data.a.output\n}\n';
const STATE = stateJson([{ name: 'a' }, { name: 'b' }], { serial: 2, lineage: 'unwritable-lineage' });

const warnings = (stderr: string): number => stderr.split('\n').filter((l) => l.startsWith('velocity: warning[CACHE_SKIPPED]')).length;

let ws: TempWorkspace | undefined;
afterEach(() => ws?.cleanup());

describe('an unwritable .velocity or cache directory', () => {
  it('detect works with one warning; ledger record is LEDGER_UNWRITABLE (exit 1), also for --ledger under /sys', async () => {
    ws = tempWorkspace({ 'main.tf': MAIN, 'terraform.tfstate': STATE, '.velocity': 'not a directory\n' });
    const detect = await runCli(['detect', '--state', 'terraform.tfstate', '--json'], { cwd: ws.dir });
    expect(detect.code, detect.stderr).toBe(0);
    expect(JSON.parse(detect.stdout)).toMatchObject({ fallback: { to: 'probe' } }); // no ledger can be there
    expect(warnings(detect.stderr)).toBe(1);

    const record = await runCli(['ledger', 'record', '--state', 'terraform.tfstate'], { cwd: ws.dir });
    expect(record.code).toBe(1);
    expect(record.stderr).toContain('error[LEDGER_UNWRITABLE]');
    expect(record.stderr).toContain(join(ws.dir, '.velocity', 'ledger.json'));

    const sys = await runCli(['ledger', 'record', '--state', 'terraform.tfstate', '--ledger', '/sys/velocity-test/l.json', '--no-cache'], { cwd: ws.dir });
    expect(sys.code).toBe(1);
    expect(sys.stderr).toContain('error[LEDGER_UNWRITABLE]');
    expect(sys.stderr).toContain('/sys/velocity-test/l.json');
    expect(warnings(sys.stderr)).toBe(0);
  });

  it('scope works with one warning when the snapshot cache directory cannot be created', async () => {
    ws = tempWorkspace({ 'terraform.tfstate': STATE, 'cache-file': 'x' });
    for (const cacheDir of [join(ws.dir, 'cache-file'), '/sys/velocity-test-cache']) {
      const r = await runCli(['scope', '--state', 'terraform.tfstate', '--changed', 'terraform_data.a', '--json'], { cwd: ws.dir, env: { VELOCITY_CACHE_DIR: cacheDir } });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ total: 2, refresh: expect.arrayContaining(['terraform_data.a']) });
      expect(warnings(r.stderr)).toBe(1);
    }
  });

  it.runIf(tfBinary !== undefined)('plan -lock=false runs (exit as terraform) with one warning', async () => {
    ws = tempWorkspace({ 'main.tf': MAIN });
    const env = tfEnv({ VELOCITY_TF_BINARY: tfBinary as string, TF_INPUT: '0' });
    execFileSync(tfBinary as string, ['init', '-input=false', '-no-color'], { cwd: ws.dir, env, stdio: 'ignore' });
    execFileSync(tfBinary as string, ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: ws.dir, env, stdio: 'ignore' });
    writeFileSync(join(ws.dir, '.velocity'), 'not a directory\n');
    const r = await runCli(['plan', '-lock=false', '-no-color', '-detailed-exitcode'], { cwd: ws.dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('No changes.');
    expect(warnings(r.stderr)).toBe(1);
  });
});
