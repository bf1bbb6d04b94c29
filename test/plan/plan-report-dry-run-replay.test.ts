// `--report FILE` is written for runs that plan nothing too: a dry run (refreshed null, no binary time) and a
// replayed failure of the probe (mode replay, the binary's exit code kept), with the same pinned keys.
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-harness.js';
import { fakeBinary, type FakeBinary } from '../support/fake-binary.js';
import { DURATION_KEYS, readReport, REPORT_KEYS } from '../support/plan-report-file.js';
import { stateJson } from '../support/state-builder.js';

const STATE = stateJson([{ name: 'a' }, { name: 'b', dependencies: ['terraform_data.a'] }, { name: 'c' }]);
const env = { PATH: '/usr/bin:/bin', VELOCITY_CACHE_DIR: join(tmpdir(), 'velocity-test-cache') };
let fake: FakeBinary | undefined;
afterEach(() => fake?.cleanup());

describe('velocity plan --report without a plan', () => {
  it('writes a dry run: mode target, refreshed null, the targets, binary 0', async () => {
    fake = fakeBinary({ version: 'Terraform v1.11.4' });
    writeFileSync(join(fake.dir, 'terraform.tfstate'), STATE);
    const r = await runCli(['plan', '--binary', fake.path, '--report', 'r.json', '--dry-run-refresh', '--mode=target', '--changed', 'terraform_data.b'], { cwd: fake.dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(fake.calls('plan')).toEqual([]);
    const report = readReport(join(fake.dir, 'r.json'));
    expect(Object.keys(report)).toEqual(REPORT_KEYS);
    expect(Object.keys(report.durationsMs)).toEqual(DURATION_KEYS);
    expect(report).toMatchObject({ mode: 'target', total: 3, cone: 1, refreshed: null, refreshedAddresses: [], targets: ['terraform_data.b'], fallbackReason: null, subWorkspace: null });
    expect(report.durationsMs['binary']).toBe(0);
  });

  it("writes auto mode's reason for not injecting as fallbackReason (no configuration here: target mode)", async () => {
    fake = fakeBinary({ version: 'Terraform v1.11.4' });
    writeFileSync(join(fake.dir, 'terraform.tfstate'), STATE);
    const r = await runCli(['plan', '--binary', fake.path, '--report', 'r.json', '--dry-run-refresh', '--changed', 'terraform_data.b'], { cwd: fake.dir, env });
    expect(r.code, r.stderr).toBe(0);
    const report = readReport(join(fake.dir, 'r.json'));
    expect(report.mode).toBe('target');
    expect(report.fallbackReason).toEqual(expect.any(String));
    expect(r.stdout).toContain(`inject mode not used: ${report.fallbackReason as string}`);
  });

  it('writes a replayed probe failure: mode replay, exit code of the probe kept', async () => {
    fake = fakeBinary({ version: 'Terraform v1.11.4', planLines: ['Error: Invalid reference'], planExitCode: 1 });
    writeFileSync(join(fake.dir, 'terraform.tfstate'), STATE);
    const r = await runCli(['plan', '--binary', fake.path, '--report', 'r.json', '-no-color'], { cwd: fake.dir, env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Error: Invalid reference'); // the probe's output, replayed
    expect(fake.calls('plan')).toHaveLength(1); // the probe only
    expect(existsSync(join(fake.dir, 'r.json'))).toBe(true);
    const report = readReport(join(fake.dir, 'r.json'));
    expect(Object.keys(report)).toEqual(REPORT_KEYS);
    expect(report).toMatchObject({ mode: 'replay', refreshed: 0, refreshedAddresses: [], targets: [], fallbackReason: null, subWorkspace: null });
  });
});
