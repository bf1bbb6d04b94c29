// Every test helper finds the binary one way: VELOCITY_TF_BINARY, then `tofu`, then `terraform` on PATH (the
// helpers in test/support, test/synth and test/lock, checked in a child process with fake binaries on PATH).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/paths.js';

const root = mkdtempSync(join(tmpdir(), 'velocity-tfbin-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fakeBin(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\necho fake\n');
  chmodSync(path, 0o755);
  return path;
}

const PROBE = `
const env = await import('./test/support/terraform-env.ts');
const probe = await import('./test/support/terraform-probe.ts');
const synth = await import('./test/synth/terraform-workspace.ts');
const lock = await import('./test/lock/helpers/terraform-workspace.ts');
const sim = await import('./test/support/sim/run-terraform.ts');
console.log(JSON.stringify([env.tfBinary, probe.TERRAFORM, synth.TERRAFORM, lock.TERRAFORM, sim.terraformBin()]));
`;

function helpersSee(env: NodeJS.ProcessEnv): string[] {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PROBE], { cwd: repoRoot, env, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as string[];
}

describe('test helpers find the binary one way', () => {
  const both = join(root, 'both');
  const tofu = fakeBin(both, 'tofu');
  fakeBin(both, 'terraform');
  const only = join(root, 'only');
  const terraform = fakeBin(only, 'terraform');
  const forced = fakeBin(join(root, 'forced'), 'my-terraform');
  // Only the fake directories: whatever real binary this machine has stays out of the lookup.
  const PATH = `${both}:${only}`;

  it('VELOCITY_TF_BINARY wins', () => {
    expect(helpersSee({ PATH, VELOCITY_TF_BINARY: forced })).toEqual(Array(5).fill(forced));
  });

  it('then tofu, then terraform on PATH', () => {
    expect(helpersSee({ PATH })).toEqual(Array(5).fill(tofu));
    expect(helpersSee({ PATH: only })).toEqual(Array(5).fill(terraform));
  });
});
