// An unwritable `--report FILE`: the plan runs and its output is shown, then error[OUTPUT_WRITE] with the plan's
// own exit code in the message, exit 1 (also when the plan exited 0 or -detailed-exitcode's 2); no temp file left.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReportWriteError } from '../../src/plan/plan-errors.js';
import { runCli } from '../support/cli-harness.js';
import { fakeBinary, type FakeBinary } from '../support/fake-binary.js';
import { capturePlan } from '../support/plan-capture.js';
import { stateJson } from '../support/state-builder.js';

const STATE = stateJson([{ name: 'a' }, { name: 'b', dependencies: ['terraform_data.a'] }]);
const env = { PATH: '/usr/bin:/bin', VELOCITY_CACHE_DIR: join(tmpdir(), 'velocity-test-cache') };
let fake: FakeBinary | undefined;
afterEach(() => fake?.cleanup());

function workspace(planExitCode: number): FakeBinary {
  fake = fakeBinary({ version: 'Terraform v1.11.4', planLines: ['Plan: 0 to add, 1 to change, 0 to destroy.'], planExitCode });
  writeFileSync(join(fake.dir, 'terraform.tfstate'), STATE);
  return fake;
}

describe('velocity plan --report to a path that cannot be written', () => {
  it('exits 1 with OUTPUT_WRITE naming the plan exit code, for plan exits 0, 1 and 2', async () => {
    for (const planExit of [0, 1, 2]) {
      const f = workspace(planExit);
      const r = await runCli(['plan', '--binary', f.path, '--report', 'missing-dir/r.json', '--changed', 'terraform_data.b', '-detailed-exitcode'], { cwd: f.dir, env });
      expect(r.code, String(planExit)).toBe(1);
      expect(r.stdout).toContain('Plan: 0 to add, 1 to change'); // the plan ran and was shown
      expect(r.stderr).toContain('error[OUTPUT_WRITE]');
      expect(r.stderr).toContain(`exited ${planExit}`);
      f.cleanup();
    }
  });

  it('leaves no temporary file and does not replace what is in the way (a directory)', async () => {
    const f = workspace(0);
    mkdirSync(join(f.dir, 'r.json'));
    writeFileSync(join(f.dir, 'r.json', 'keep'), 'x');
    // calls.log: the fake's own; .velocity: the refresh history every successful plan records (issue 12)
    const files = (): string[] => readdirSync(f.dir).filter((n) => n !== 'calls.log' && n !== '.velocity').sort();
    const before = files();
    const r = await runCli(['plan', '--binary', f.path, '--report', 'r.json', '--mode=target', '--changed', 'terraform_data.b'], { cwd: f.dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[OUTPUT_WRITE]');
    expect(files()).toEqual(before);
    expect(readFileSync(join(f.dir, 'r.json', 'keep'), 'utf8')).toBe('x');
  });

  it('gives a library caller the whole result on the error', async () => {
    const f = workspace(2);
    const failure = await capturePlan({ cwd: f.dir, env, binary: f.path, changed: ['terraform_data.b'], report: join(f.dir, 'no', 'r.json') }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ReportWriteError);
    expect(failure).toMatchObject({ code: 'OUTPUT_WRITE', exitCode: 1, result: { exitCode: 2, execution: 'target' } });
  });

  it('refuses an empty --report with USAGE before running anything', async () => {
    const f = workspace(0);
    const r = await runCli(['plan', '--binary', f.path, '--report=', '--changed', 'terraform_data.b'], { cwd: f.dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[USAGE]');
    expect(f.calls('plan')).toEqual([]);
  });
});
