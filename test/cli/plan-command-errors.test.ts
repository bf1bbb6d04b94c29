import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-io.js';
import { run } from '../../src/cli/run.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), stdin: process.stdin, env, cwd, isTTY: false };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

describe('velocity plan: errors', () => {
  it('a missing binary is error[TF_BINARY_NOT_FOUND] with advice, exit 1', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'velocity-nobin-'));
    dirs.push(empty);
    const r = await cli(['plan'], empty, { PATH: empty });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^velocity: error\[TF_BINARY_NOT_FOUND\]: .*--binary/);
    const r2 = await cli(['plan', '--binary', join(empty, 'tofu')], empty, { PATH: empty });
    expect(r2.stderr).toContain('error[TF_BINARY_NOT_FOUND]');
  });

  it('prints its usage on --help and exits 2 on a bad velocity flag', async () => {
    expect((await cli(['plan', '--help'], tmpdir(), process.env)).stdout).toContain('usage: velocity plan');
    expect((await cli(['plan', '--refresh-strategy=fastest'], tmpdir(), process.env)).code).toBe(2);
  });

  it.runIf(tfBinary)("passes a broken workspace's error through unchanged, with the binary's exit code", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'velocity-broken-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'main.tf'), 'resource "terraform_data" "x" {\n  input = \n}\n');
    let expected = '';
    try {
      execFileSync(tfBinary as string, ['plan', '-no-color'], { cwd: dir, env: tfEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      expected = String((error as { stderr: string }).stderr);
    }
    expect(expected).toContain('Error');
    const r = await cli(['plan', '-no-color'], dir, tfEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(expected.trim());
  });
});
