// `velocity state history` and `velocity state rollback` against a running `velocity serve`: history lists every
// version terraform wrote, rollback --serial N makes N current again as a new version (the history grows, nothing is
// removed), and an unknown serial is a typed error.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { assertFreshBuild } from '../support/built-package.js';
import { runCli } from '../support/cli-harness.js';
import { tfBinary } from '../support/terraform-env.js';
import { tfOk } from '../support/terraform-run.js';
import { dropSchema, freshSchema } from '../lock/helpers/pg-test-schema.js';
import { serveEnv } from '../serve/helpers/serve-fixture.js';
import { spawnServe, type SpawnedServe } from '../serve/helpers/spawn-serve.js';

describe.runIf(tfBinary !== undefined)('velocity state history and rollback (skipped only when no tofu/terraform binary)', () => {
  const url = inject('pgUrl');
  const schema = freshSchema('histcli');
  let s: SpawnedServe;
  let dir: string;
  beforeAll(async () => {
    assertFreshBuild();
    s = await spawnServe(url, schema);
    dir = mkdtempSync(join(tmpdir(), 'velocity-state-history-'));
  });
  afterAll(async () => {
    await s?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await dropSchema(url, schema);
  });

  it('lists versions and rolls back as a new one', async () => {
    const env = { VELOCITY_SERVER: s.url };
    expect((await runCli(['state', 'create', 'hist'], { env })).code).toBe(0);
    expect((await runCli(['state', 'init', 'hist', '--dir', dir], { env })).code).toBe(0);
    const serials: number[] = [];
    for (const v of ['a', 'b']) {
      writeFileSync(join(dir, 'main.tf'), `resource "terraform_data" "x" {\n  input = "${v}"\n}\n`);
      if (v === 'a') await tfOk(dir, ['init', '-input=false', '-no-color'], serveEnv());
      await tfOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color'], serveEnv());
      serials.push((JSON.parse(await tfOk(dir, ['state', 'pull'], serveEnv())) as { serial: number }).serial);
    }
    const h = JSON.parse((await runCli(['state', 'history', 'hist', '--json'], { env })).stdout) as { version: number; serial: number; source: string }[];
    expect(h.map((v) => v.serial)).toEqual(expect.arrayContaining(serials));
    const human = await runCli(['state', 'history', 'hist'], { env });
    expect(human.stdout.trim().split('\n')).toHaveLength(h.length);
    const rb = await runCli(['state', 'rollback', 'hist', '--serial', String(serials[0])], { env });
    expect(rb.code, rb.stderr).toBe(0);
    expect(rb.stdout).toContain(`serial ${serials[0]} is current again as version ${h.length + 1}`);
    const h2 = JSON.parse((await runCli(['state', 'history', 'hist', '--json'], { env })).stdout) as { version: number; serial: number; source: string }[];
    expect(h2.slice(0, h.length)).toEqual(h);
    expect(h2.at(-1)).toMatchObject({ version: h.length + 1, serial: (serials[1] as number) + 1, source: 'rollback' });
    const pulled = JSON.parse(await tfOk(dir, ['state', 'pull'], serveEnv())) as { resources: { instances: { attributes: { input: { value: string } } }[] }[] };
    expect(pulled.resources[0]?.instances[0]?.attributes.input.value).toBe('a');
    const missing = await runCli(['state', 'rollback', 'hist', '--serial', '999'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('error[VERSION_NOT_FOUND]');
  });
});
