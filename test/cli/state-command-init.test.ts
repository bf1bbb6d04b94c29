// `velocity state create|list|init` against a running `velocity serve`: create registers a UUIDv7 guid under a
// logic id (a second create of the name is refused), list shows it, init writes backend.tf that terraform uses as
// is, a second init changes nothing, and a backend.tf that says something else is left alone without --force.
import { readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { version as uuidVersion } from 'uuid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { assertFreshBuild } from '../support/built-package.js';
import { runCli } from '../support/cli-harness.js';
import { tfBinary } from '../support/terraform-env.js';
import { tfOk } from '../support/terraform-run.js';
import { dropSchema, freshSchema } from '../lock/helpers/pg-test-schema.js';
import { SAMPLE_BLOCKS, serveEnv } from '../serve/helpers/serve-fixture.js';
import { spawnServe, type SpawnedServe } from '../serve/helpers/spawn-serve.js';

describe.runIf(tfBinary !== undefined)('velocity state create, list, init (skipped only when no tofu/terraform binary)', () => {
  const url = inject('pgUrl');
  const schema = freshSchema('statecli');
  let s: SpawnedServe;
  let dir: string;
  beforeAll(async () => {
    assertFreshBuild();
    s = await spawnServe(url, schema);
    dir = mkdtempSync(join(tmpdir(), 'velocity-state-init-'));
  });
  afterAll(async () => {
    await s?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await dropSchema(url, schema);
  });

  it('creates, lists and inits idempotently', async () => {
    const env = { VELOCITY_SERVER: s.url };
    const created = await runCli(['state', 'create', 'team/app-prod'], { env });
    expect(created.code, created.stderr).toBe(0);
    const guid = created.stdout.split(/\s+/)[0] as string;
    expect(uuidVersion(guid)).toBe(7);
    const dup = await runCli(['state', 'create', 'team/app-prod'], { env });
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('error[STATE_EXISTS]');
    const list = JSON.parse((await runCli(['state', 'list', '--json', '--server', s.url], { env: {} })).stdout) as { guid: string; logicId: string; version: number }[];
    expect(list.map((l) => [l.logicId, l.guid, l.version])).toEqual([['team/app-prod', guid, 0]]);

    const init = await runCli(['state', 'init', 'team/app-prod', '--dir', dir], { env });
    expect(init.code, init.stderr).toBe(0);
    const path = join(dir, 'backend.tf');
    const text = readFileSync(path, 'utf8');
    expect(text).toContain(`address        = "${s.url}/tfstate/${guid}"`);
    expect(text).toContain(`lock_address   = "${s.url}/tfstate/${guid}/lock"`);
    expect(text).toContain(`unlock_address = "${s.url}/tfstate/${guid}/unlock"`);
    const mtime = statSync(path).mtimeMs;
    const second = await runCli(['state', 'init', 'team/app-prod', '--dir', dir], { env });
    expect([second.code, second.stderr]).toEqual([0, expect.stringContaining('is up to date')]);
    expect(statSync(path).mtimeMs).toBe(mtime);
    expect(readFileSync(path, 'utf8')).toBe(text);

    writeFileSync(join(dir, 'main.tf'), SAMPLE_BLOCKS.join('\n\n'));
    await tfOk(dir, ['init', '-input=false', '-no-color'], serveEnv());
    await tfOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color'], serveEnv());
    const after = (await runCli(['state', 'list', '--server', s.url], { env: {} })).stdout;
    expect(after).toMatch(new RegExp(`^team/app-prod  ${guid}  serial \\d+, 6 instances, version \\d+\\n$`));

    writeFileSync(path, 'terraform {\n  backend "local" {}\n}\n');
    const conflict = await runCli(['state', 'init', 'team/app-prod', '--dir', dir], { env });
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('error[STATE_INIT_CONFLICT]');
    expect(readFileSync(path, 'utf8')).toContain('backend "local"');
    expect((await runCli(['state', 'init', 'team/app-prod', '--dir', dir, '--force'], { env })).code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });
});
