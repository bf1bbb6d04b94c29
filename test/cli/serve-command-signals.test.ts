// `velocity serve` as a process: it migrates, listens on 127.0.0.1, prints the backend block, says it serves
// loopback only without --token-file, and stops cleanly on SIGINT (exit 130) and SIGTERM (exit 143), the port closed.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { assertFreshBuild } from '../support/built-package.js';
import { dropSchema, freshSchema } from '../lock/helpers/pg-test-schema.js';
import { spawnServe } from '../serve/helpers/spawn-serve.js';

describe('velocity serve start and stop', () => {
  const url = inject('pgUrl');
  const schema = freshSchema('servecli');
  beforeAll(() => assertFreshBuild());
  afterAll(async () => {
    await dropSchema(url, schema);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('stops on %s with exit %i', async (signal, code) => {
    const s = await spawnServe(url, schema);
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(s.stdout()).toContain(`address        = "${s.url}/tfstate/<GUID>"`);
      expect(s.stderr()).toContain('serving loopback clients only');
      const list = await fetch(`${s.url}/api/v1/states`);
      expect(list.status).toBe(200);
    } finally {
      expect(await s.stop(signal)).toBe(code);
    }
    expect(s.stderr()).toContain('velocity serve: stopped');
    expect(await fetch(`${s.url}/api/v1/states`).then(() => 'answered', () => 'closed')).toBe('closed');
  });

  it('refuses a non-loopback address without a token', async () => {
    const { runCli } = await import('../support/cli-harness.js');
    const r = await runCli(['serve', '--listen', '0.0.0.0:0', '--schema', schema], { env: { DATABASE_URL: url } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[SERVE_NEEDS_TOKEN]');
  });
});
