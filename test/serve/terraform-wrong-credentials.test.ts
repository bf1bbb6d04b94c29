// Authentication on velocity serve with a token: terraform with the token (TF_HTTP_PASSWORD) works; with a wrong
// one it fails; raw requests with no or wrong credentials get 401 and never a state.
import { describe, expect, it } from 'vitest';
import { tfBinary } from '../support/terraform-env.js';
import { tfOk, tfRun } from '../support/terraform-run.js';
import { raw, SAMPLE_BLOCKS, serveEnv, useServeFixture } from './helpers/serve-fixture.js';

const TOKEN = 'correct horse battery staple';
const basic = (password: string): Record<string, string> => ({ authorization: `Basic ${Buffer.from(`velocity:${password}`).toString('base64')}` });

describe.runIf(tfBinary !== undefined)('credentials on velocity serve (skipped only when no tofu/terraform binary)', () => {
  const fx = useServeFixture({ token: TOKEN });

  it('401 without the token, never a state', async () => {
    const guid = await fx().newState('auth');
    const dir = fx().workspace(guid, SAMPLE_BLOCKS);
    await tfOk(dir, ['init', '-input=false', '-no-color'], serveEnv(TOKEN));
    await tfOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color'], serveEnv(TOKEN));
    const bad = await tfRun(dir, ['plan', '-input=false', '-no-color'], serveEnv('wrong'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/requires auth|401/);
    for (const headers of [{}, basic('wrong'), basic(`${TOKEN}x`), { authorization: 'Bearer whatever' }]) {
      const r = await raw(fx(), 'GET', `/tfstate/${guid}`, undefined, headers);
      expect(r.status).toBe(401);
      expect(r.json?.['code']).toBe('AUTH_REQUIRED');
      expect(r.text).not.toContain('terraform_data');
      expect((await raw(fx(), 'GET', '/api/v1/states', undefined, headers)).status).toBe(401);
    }
    const ok = await raw(fx(), 'GET', `/tfstate/${guid}`, undefined, basic(TOKEN));
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('terraform_data');
  });
});
