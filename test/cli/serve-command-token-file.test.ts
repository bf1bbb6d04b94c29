// `velocity serve --token-file F` as a process: it says clients must authenticate, refuses requests without the
// token (401), and `velocity state` reaches it with --token-file or $VELOCITY_TOKEN.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { assertFreshBuild } from '../support/built-package.js';
import { runCli } from '../support/cli-harness.js';
import { dropSchema, freshSchema } from '../lock/helpers/pg-test-schema.js';
import { spawnServe, type SpawnedServe } from '../serve/helpers/spawn-serve.js';

describe('velocity serve --token-file', () => {
  const url = inject('pgUrl');
  const schema = freshSchema('tokencli');
  const dir = mkdtempSync(join(tmpdir(), 'velocity-token-'));
  const tokenFile = join(dir, 'token');
  let s: SpawnedServe;
  beforeAll(async () => {
    assertFreshBuild();
    writeFileSync(tokenFile, 's3cret-token\n');
    s = await spawnServe(url, schema, ['--token-file', tokenFile]);
  });
  afterAll(async () => {
    await s?.stop();
    rmSync(dir, { recursive: true, force: true });
    await dropSchema(url, schema);
  });

  it('asks for the token and the state commands send it', async () => {
    expect(s.stderr()).toContain('clients authenticate with HTTP basic auth');
    expect((await fetch(`${s.url}/api/v1/states`)).status).toBe(401);
    const without = await runCli(['state', 'list', '--server', s.url], { env: {} });
    expect([without.code, without.stderr]).toEqual([1, expect.stringContaining('error[AUTH_REQUIRED]')]);
    const withFile = await runCli(['state', 'create', 'secured', '--server', s.url, '--token-file', tokenFile], { env: {} });
    expect(withFile.code, withFile.stderr).toBe(0);
    const withEnv = await runCli(['state', 'list', '--server', s.url], { env: { VELOCITY_TOKEN: 's3cret-token' } });
    expect(withEnv.stdout).toMatch(/^secured {2}[0-9a-f-]{36} {2}empty\n$/);
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    const bad = await runCli(['state', 'list', '--server', s.url, '--token-file', empty], { env: {} });
    expect(bad.stderr).toContain('error[TOKEN_FILE]');
  });
});
