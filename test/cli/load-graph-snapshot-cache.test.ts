// CLI state loads go through the snapshot cache: the second `velocity scope` on an unchanged state reads the
// snapshot and prints the same answer; VELOCITY_CACHE=0 writes nothing.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-harness.js';

const root = mkdtempSync(join(tmpdir(), 'velocity-cli-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const args = ['scope', '--state', 'fixtures/demo/terraform.tfstate', '--changed', 'module.customer["acme"].terraform_data.site', '--json'];

describe('CLI snapshot cache', () => {
  it('writes a snapshot on the first run; the second run (a snapshot hit) prints the same answer', async () => {
    const cache = join(root, 'on');
    const first = await runCli(args, { env: { VELOCITY_CACHE_DIR: cache } });
    expect(first.code).toBe(0);
    expect(readdirSync(join(cache, 'snapshots'))).toHaveLength(1);
    const second = await runCli(args, { env: { VELOCITY_CACHE_DIR: cache } });
    expect(second).toEqual(first);
  });

  it('VELOCITY_CACHE=0 leaves no cache behind', async () => {
    const cache = join(root, 'off');
    const r = await runCli(args, { env: { VELOCITY_CACHE_DIR: cache, VELOCITY_CACHE: '0' } });
    expect(r.code).toBe(0);
    expect(existsSync(cache)).toBe(false);
  });
});
