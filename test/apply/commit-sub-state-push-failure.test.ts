// Push commit refused by the backend (it answers the state write with a 500): a STATE_PUSH_FAILED carrying the
// binary's stderr, and the applied sub-state is kept.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitSubState } from '../../src/apply/commit-sub-state.js';
import { startStateServer, type StateServer } from '../support/http-state-server.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';
import { tfOk } from '../support/terraform-run.js';

describe.runIf(tfBinary)('commitSubState when state push fails (skipped only without tofu/terraform)', () => {
  let server: StateServer;
  let dir: string;
  let refuse = false;
  beforeAll(async () => {
    server = await startStateServer({
      route: (req, res) => {
        if (!refuse || req.method !== 'POST') return false;
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('backend refuses writes');
        return true;
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'velocity-commit-push-fail-'));
    writeFileSync(join(dir, 'main.tf'), [
      `terraform {\n  backend "http" {\n    address = "${server.url}"\n    lock_address = "${server.url}"\n    unlock_address = "${server.url}"\n  }\n}`,
      'resource "terraform_data" "a" {\n  input = "a"\n}',
    ].join('\n\n'));
    await tfOk(dir, ['init', '-input=false', '-no-color']);
    await tfOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color']);
  }, 120_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await server?.close();
  });

  it('is a STATE_PUSH_FAILED with the stderr, and keeps the sub-state', async () => {
    const real = JSON.parse(await tfOk(dir, ['state', 'pull'])) as { serial: number; lineage: string; resources: unknown[] };
    const subState = join(dir, 'sub.tfstate');
    const subText = JSON.stringify({ ...real, serial: real.serial + 1, resources: [] }, null, 2);
    writeFileSync(subState, subText);
    refuse = true;
    const error = await commitSubState({
      target: { kind: 'push', binary: tfBinary as string, globalArgs: [], cwd: dir, env: tfEnv() }, expected: { serial: real.serial, lineage: real.lineage }, subState, sliceSerial: real.serial,
      owned: { resources: [{ module: '', mode: 'managed', type: 'terraform_data', name: 'a' }], outputs: [] }, tmpDir: join(dir, 'tmp'),
    }).catch((e: unknown) => e);
    refuse = false;
    expect(error).toMatchObject({ code: 'STATE_PUSH_FAILED', exitCode: 1 });
    expect((error as { stderr: string }).stderr.trim()).not.toBe('');
    expect(readFileSync(subState, 'utf8')).toBe(subText);
    expect((JSON.parse(await tfOk(dir, ['state', 'pull'])) as { serial: number }).serial).toBe(real.serial);
  });
});
