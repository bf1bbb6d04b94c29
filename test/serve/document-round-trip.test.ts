// The read guarantee over every shape a v4 document has: modules, data sources, `each` list and map, int and string
// keys, deposed objects, a resource entry without instances, an unknown resource-level key, `dependencies: []`,
// check_results, sensitive outputs, unicode and numbers beyond double precision. A raw POST then GET gives the same
// JSON value, resources in Terraform's order, and the numbers' digits as written.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sql } from '../lock/helpers/pg-test-schema.js';
import { raw, useServeFixture } from './helpers/serve-fixture.js';

const P = 'provider["registry.terraform.io/hashicorp/null"]';
const obj = (id: string, extra: Record<string, unknown> = {}) => ({ schema_version: 0, attributes: { id }, sensitive_attributes: [], ...extra });

describe('document round trip through velocity serve', () => {
  const fx = useServeFixture();

  it('gives back the same document in Terraform’s order', async () => {
    const guid = await fx().newState('shapes');
    // Written in Terraform's order: module "" < "module.a" < ..., "data" < "managed", then type and name.
    const resources = [
      { mode: 'data', type: 'null_data_source', name: 'd', provider: P, instances: [obj('d', { dependencies: [] })] },
      { mode: 'managed', type: 'null_resource', name: 'counted', each: 'list', provider: P, instances: [obj('c0', { index_key: 0 }), obj('c2', { index_key: 2 }), obj('c10', { index_key: 10 })] },
      { mode: 'managed', type: 'null_resource', name: 'deposed', provider: P, instances: [obj('cur', { create_before_destroy: true }), obj('old', { deposed: '00000001', create_before_destroy: true })] },
      { mode: 'managed', type: 'null_resource', name: 'empty', provider: P, instances: [] },
      { mode: 'managed', type: 'null_resource', name: 'extra', provider: P, future_key: { a: 1 }, instances: [obj('e', { dependencies: ['null_resource.empty', 'data.null_data_source.d'] })] },
      { module: 'module.a["k"]', mode: 'managed', type: 'null_resource', name: 'm', each: 'map', provider: P, instances: [obj('ma', { index_key: 'a' }), obj('mb', { index_key: 'b', status: 'tainted' })] },
      { module: 'module.b', mode: 'managed', type: 'null_resource', name: 'u', provider: P, instances: [obj('☃ é 日本 \\ "q"', { private: 'eyJzY2hlbWFfdmVyc2lvbiI6IjAifQ==' })] },
    ];
    const text =
      `{"version":4,"terraform_version":"1.11.4","serial":7,"lineage":"${randomUUID()}",` +
      `"outputs":{"big":{"value":12345678901234567890123,"type":"number"},"secret":{"value":"s","type":"string","sensitive":true}},` +
      `"resources":${JSON.stringify(resources)},"check_results":[{"object_kind":"resource","config_addr":"null_resource.x","status":"pass","objects":null}]}`;
    const post = await raw(fx(), 'POST', `/tfstate/${guid}`, text);
    expect(post.status, post.text).toBe(200);
    const got = await raw(fx(), 'GET', `/tfstate/${guid}`);
    expect(got.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(got.text)).toEqual(JSON.parse(text));
    expect(got.text).toContain('12345678901234567890123');
    // The same order as written, which is Terraform's.
    expect((JSON.parse(got.text) as { resources: { name: string }[] }).resources.map((r) => r.name)).toEqual(resources.map((r) => r.name));

    // Pushed in another order, it comes back in Terraform's.
    const shuffled = text.replace(JSON.stringify(resources), JSON.stringify([...resources].reverse().map((r) => ({ ...r, instances: [...r.instances].reverse() })))).replace('"serial":7', '"serial":8');
    expect((await raw(fx(), 'POST', `/tfstate/${guid}`, shuffled)).status).toBe(200);
    const again = JSON.parse((await raw(fx(), 'GET', `/tfstate/${guid}`)).text) as Record<string, unknown>;
    expect(again).toEqual({ ...(JSON.parse(text) as Record<string, unknown>), serial: 8 });
    // Nothing changed but the order and the serial: the second write added no instance rows.
    const h = await fx().store.history(guid);
    expect(h.map((v) => v.instances)).toEqual([11, 11]);
    const added = await sql<{ n: string }>(fx().pgUrl, `SELECT count(*) AS n FROM ${fx().schema}.state_instances WHERE state_guid = $1 AND from_version = 2`, [guid]);
    expect(Number(added[0]?.n)).toBe(0);
  });
});
