// A state over 10 MB through velocity serve: terraform pushes it, the server stores it with a warning header and a
// log line, and `terraform state pull` gives back the same document.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LARGE_STATE_BYTES, LARGE_STATE_HEADER } from '../../src/serve/http-server.js';
import { tfBinary } from '../support/terraform-env.js';
import { tfOk } from '../support/terraform-run.js';
import { bigState } from './helpers/big-state.js';
import { raw, serveEnv, useLoggedServeFixture } from './helpers/serve-fixture.js';

describe.runIf(tfBinary !== undefined)('a state over 10 MB (skipped only when no tofu/terraform binary)', () => {
  const { server, log } = useLoggedServeFixture();

  it('is stored with a warning and served back whole', async () => {
    const fx = server();
    const guid = await fx.newState('big');
    const dir = fx.workspace(guid, ['resource "terraform_data" "big" {\n  count = 3000\n  input = "x"\n}']);
    const env = serveEnv();
    await tfOk(dir, ['init', '-input=false', '-no-color'], env);
    const doc = bigState(3000, 4000, 1, randomUUID());
    writeFileSync(join(dir, 'big.tfstate'), JSON.stringify(doc));
    await tfOk(dir, ['state', 'push', 'big.tfstate'], env);
    const pulled = await tfOk(dir, ['state', 'pull'], env);
    expect(pulled.length).toBeGreaterThan(LARGE_STATE_BYTES);
    // Terraform gives a push into an empty remote state its own lineage and serial (see terraform-migrate-state).
    const { lineage: _l, serial: _s, ...rest } = JSON.parse(pulled) as Record<string, unknown>;
    const { lineage: _l2, serial: _s2, ...want } = doc;
    expect(rest).toEqual(want);
    expect(log.some((l) => l.startsWith('warning:') && l.includes(guid) && l.includes('over 10485760'))).toBe(true);
    // The header, as a raw client sees it.
    const again = bigState(3000, 4000, 10, JSON.parse(pulled).lineage as string);
    const r = await raw(fx, 'POST', `/tfstate/${guid}`, JSON.stringify(again));
    expect(r.status).toBe(200);
    expect(r.headers.get(LARGE_STATE_HEADER)).toMatch(/over 10485760/);
    expect(JSON.parse((await raw(fx, 'GET', `/tfstate/${guid}`)).text)).toEqual(again);
  }, 120_000);
});
