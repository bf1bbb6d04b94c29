// `velocity synth`: writes the workspace and a summary; bad flags are usage errors (exit 2); silent on non-TTY stderr.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import type { CliIo } from '../../src/cli/cli-io.js';

const root = mkdtempSync(join(tmpdir(), 'velocity-synth-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function io(): CliIo & { out: string; err: string } {
  const r = {
    out: '',
    err: '',
    stdout: (s: string) => void (r.out += s),
    stderr: (s: string) => void (r.err += s),
    stdin: new PassThrough(),
    env: {},
    cwd: root,
    isTTY: false,
  };
  return r;
}

describe('velocity synth', () => {
  it('writes state and config and prints a JSON summary', async () => {
    const t = io();
    const code = await run(['synth', '--resources', '201', '--shape', 'customers', '--seed', '4', '--out', 'ws', '--json'], t);
    expect(code).toBe(0);
    expect(t.err).toBe('');
    const summary = JSON.parse(t.out) as { instances: number; files: string[] };
    expect(summary.instances).toBe(201);
    expect(summary.files).toEqual(['customers.tf', 'main.tf', 'modules/customer/main.tf', 'terraform.tfstate']);
    for (const f of summary.files) expect(existsSync(join(root, 'ws', f))).toBe(true);
  });

  it.each([
    [['synth', '--shape', 'customers', '--out', 'x']],
    [['synth', '--resources', 'ten', '--out', 'x']],
    [['synth', '--resources', '10', '--shape', 'tree', '--out', 'x']],
    [['synth', '--resources', '10']],
    [['synth', '--resources', '10', '--out', 'x', '--bogus']],
  ])('%j is a usage error', async (argv) => {
    const t = io();
    expect(await run(argv, t)).toBe(2);
    expect(t.err).toContain('error[USAGE]');
  });

  it('turns an impossible size into a typed error (exit 1)', async () => {
    const t = io();
    expect(await run(['synth', '--resources', '1', '--shape', 'wide', '--out', 'w1'], t)).toBe(1);
    expect(t.err).toContain('error[SYNTH_OPTIONS]');
  });
});
