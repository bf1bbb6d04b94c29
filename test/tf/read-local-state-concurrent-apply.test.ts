// Issue 16 item 5: velocity reads a plain local backend's terraform.tfstate while `terraform apply` rewrites it in
// place (truncate + write, intermediate states during the apply). Real terraform: applies loop (-refresh=false with
// -replace of every instance) while `velocity plan --dry-run-refresh --changed ...` loops. No run may fail with a
// STATE_* error, and every run's total must be the state's real instance count (never a torn or half-applied one).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturePlan } from '../support/plan-capture.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

const N = 300;
const APPLIES = 4;
const MAX_PLANS = 400;

function applyOnce(dir: string, env: NodeJS.ProcessEnv): Promise<number | null> {
  const replace = Array.from({ length: N }, (_, i) => `-replace=terraform_data.r[${i}]`);
  return new Promise((done, fail) => {
    const child = spawn(tfBinary as string, ['apply', '-auto-approve', '-input=false', '-refresh=false', '-lock-timeout=300s', '-no-color', ...replace], { cwd: dir, env, stdio: 'ignore' });
    child.on('error', fail);
    child.on('close', done);
  });
}

describe.runIf(tfBinary)('velocity plan during a concurrent terraform apply on a local state (skipped only without tofu/terraform)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'velocity-torn-'));
    env = tfEnv({ VELOCITY_CACHE_DIR: join(dir, '.cache') });
    writeFileSync(join(dir, 'main.tf'), `resource "terraform_data" "r" {\n  count = ${N}\n  input = "v"\n}\n`);
    execFileSync(tfBinary as string, ['init', '-input=false', '-no-color'], { cwd: dir, env, stdio: 'ignore' });
    execFileSync(tfBinary as string, ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: dir, env, stdio: 'ignore' });
  }, 300_000);
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('never plans from a torn or partial state', async () => {
    let applying = true;
    const applies = (async () => {
      const codes: (number | null)[] = [];
      try {
        for (let i = 0; i < APPLIES; i++) codes.push(await applyOnce(dir, env));
      } finally {
        applying = false;
      }
      return codes;
    })();
    const failures: string[] = [];
    const totals: number[] = [];
    for (let i = 0; i < MAX_PLANS && applying; i++) {
      try {
        const { result } = await capturePlan({ cwd: dir, env, changed: ['terraform_data.r[0]'], dryRun: true, planArgs: ['-lock-timeout=300s'] });
        totals.push(result.total);
      } catch (error) {
        failures.push(error instanceof Error && 'code' in error ? String(error.code) : String(error));
      }
    }
    expect(await applies).toEqual(Array(APPLIES).fill(0));
    expect(failures).toEqual([]);
    expect(totals.length).toBeGreaterThan(0);
    expect(totals.filter((t) => t !== N)).toEqual([]);
  }, 600_000);
});
