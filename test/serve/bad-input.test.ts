// Bad writes to velocity serve: a body that is not a state, a v3 state, truncated JSON, not JSON, a duplicated
// instance, a lineage change, an older serial and a body that does not match its Content-MD5 are each refused with their typed 4xx code, and nothing is stored
// (the history and the served document are unchanged).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { raw, useServeFixture } from './helpers/serve-fixture.js';

describe('bad input to velocity serve', () => {
  const fx = useServeFixture();

  it('refuses each with a typed 4xx and stores nothing', async () => {
    const guid = await fx().newState('bad');
    const lineage = randomUUID();
    const inst = { schema_version: 0, attributes: { id: 'x' }, sensitive_attributes: [] };
    const good = { version: 4, terraform_version: '1.11.4', serial: 3, lineage, outputs: {}, resources: [{ mode: 'managed', type: 'terraform_data', name: 'a', provider: 'provider["terraform.io/builtin/terraform"]', instances: [inst] }], check_results: null };
    expect((await raw(fx(), 'POST', `/tfstate/${guid}`, JSON.stringify(good))).status).toBe(200);
    const before = { history: await fx().store.history(guid), doc: (await raw(fx(), 'GET', `/tfstate/${guid}`)).text };
    const text = JSON.stringify(good);
    const cases: [string, string, number, string][] = [
      ['not a state', JSON.stringify({ hello: 'world' }), 400, 'STATE_NOT_A_STATE'],
      ['an array', '[1,2,3]', 400, 'STATE_NOT_A_STATE'],
      ['empty', '', 400, 'STATE_NOT_A_STATE'],
      ['a v3 state', JSON.stringify({ version: 3, serial: 4, lineage, modules: [] }), 400, 'STATE_VERSION_UNSUPPORTED'],
      ['truncated', text.slice(0, text.length - 20), 400, 'STATE_TRUNCATED'],
      ['not JSON', 'version = 4', 400, 'STATE_NOT_JSON'],
      ['a serial that is not a number', JSON.stringify({ ...good, serial: '4' }), 400, 'STATE_NOT_A_STATE'],
      ['an instance twice', JSON.stringify({ ...good, serial: 4, resources: [{ ...good.resources[0], instances: [inst, inst] }] }), 400, 'STATE_DUPLICATE_INSTANCE'],
      ['a bad index key', JSON.stringify({ ...good, serial: 4, resources: [{ ...good.resources[0], instances: [{ ...inst, index_key: true }] }] }), 400, 'STATE_NOT_A_STATE'],
      ['a lineage change', JSON.stringify({ ...good, serial: 4, lineage: randomUUID() }), 409, 'STATE_LINEAGE_MISMATCH'],
      ['an older serial', JSON.stringify({ ...good, serial: 2 }), 409, 'STATE_SERIAL_STALE'],
      ['a NUL in a string', JSON.stringify({ ...good, serial: 4, resources: [{ ...good.resources[0], instances: [{ ...inst, attributes: { id: 'a\u0000b' } }] }] }), 400, 'STATE_NOT_A_STATE'],
    ];
    for (const [what, body, status, code] of cases) {
      const r = await raw(fx(), 'POST', `/tfstate/${guid}`, body);
      expect([r.status, r.json?.['code']], what).toEqual([status, code]);
      expect(r.json?.['message'], what).toMatch(/./);
    }
    // A body that does not match the Content-MD5 terraform sends with it.
    const next = JSON.stringify({ ...good, serial: 4 });
    const md5 = (await import('node:crypto')).createHash('md5').update(`${next} `).digest('base64');
    const mismatch = await raw(fx(), 'POST', `/tfstate/${guid}`, next, { 'content-md5': md5 });
    expect([mismatch.status, mismatch.json?.['code']]).toEqual([400, 'STATE_CHECKSUM_MISMATCH']);
    expect(await fx().store.history(guid)).toEqual(before.history);
    expect((await raw(fx(), 'GET', `/tfstate/${guid}`)).text).toBe(before.doc);
    // An unknown state is 404 for every endpoint, and a path that is not a guid 400.
    const unknown = randomUUID();
    expect((await raw(fx(), 'POST', `/tfstate/${unknown}`, text)).json?.['code']).toBe('STATE_NOT_FOUND');
    expect((await raw(fx(), 'GET', `/tfstate/${unknown}`)).status).toBe(404);
    expect((await raw(fx(), 'GET', '/tfstate/not-a-guid')).json?.['code']).toBe('STATE_BAD_GUID');
    expect((await raw(fx(), 'LOCK', `/tfstate/${guid}/lock`, '{"ID": "nope"}')).json?.['code']).toBe('LOCK_INFO_INVALID');
  });
});
