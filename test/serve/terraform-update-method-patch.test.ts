// `update_method = "PATCH"` in a backend block works against a server started with PATCH among its write methods
// (`--write-methods POST,PUT,PATCH`): terraform applies and pulls its state back (a default server refuses PATCH with
// 405: test/serve/method-not-allowed.test.ts); other methods stay 405 with the configured Allow list.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tfBinary } from '../support/terraform-env.js';
import { tfOk } from '../support/terraform-run.js';
import { raw, SAMPLE_BLOCKS, serveEnv, useServeFixture } from './helpers/serve-fixture.js';

describe.runIf(tfBinary !== undefined)('PATCH writes where configured (skipped only when no tofu/terraform binary)', () => {
  const fx = useServeFixture({ writeMethods: ['POST', 'PUT', 'PATCH'] });

  it('stores what terraform writes with PATCH', async () => {
    const guid = await fx().newState('patch');
    const dir = fx().workspace(guid, SAMPLE_BLOCKS);
    const backend = join(dir, 'backend.tf');
    writeFileSync(backend, readFileSync(backend, 'utf8').replace('    username', '    update_method  = "PATCH"\n    username'));
    const env = serveEnv();
    await tfOk(dir, ['init', '-input=false', '-no-color'], env);
    await tfOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color'], env);
    const history = await fx().store.history(guid);
    expect(history.length).toBeGreaterThan(0);
    const pulled = JSON.parse(await tfOk(dir, ['state', 'pull'], env)) as { serial: number; resources: unknown[] };
    expect(pulled.serial).toBe(history.at(-1)?.serial);
    expect(pulled.resources.length).toBeGreaterThan(0);
    const put = await raw(fx(), 'DELETE', `/tfstate/${guid}`, '{}');
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'GET, POST, PUT, PATCH']);
  }, 120_000);
});
