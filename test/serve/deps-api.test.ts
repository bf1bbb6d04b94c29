// The dependency graph over HTTP on velocity serve: add (201 with the edge, logic ids), the graph as the library's
// JSON, status and order computed by the library, explicit acknowledge, remove; each refusal with its deps code
// (DEPS_CYCLE 409 naming the cycle, DEPS_EDGE_EXISTS 409, DEPS_EDGE_NOT_FOUND 404, DEPS_INPUT 400) and nothing changed.
import { describe, expect, it } from 'vitest';
import { DepsGraph } from '../../src/deps/deps-graph.js';
import { raw, useServeFixture } from './helpers/serve-fixture.js';

const json = { 'content-type': 'application/json' };

describe('/api/v1/deps on velocity serve', () => {
  const fx = useServeFixture();

  it('adds, lists, derives status and order, acknowledges and removes edges; refusals change nothing', async () => {
    const net = await fx().newState('net');
    await fx().newState('app');
    await fx().newState('edge');
    const add = (body: unknown) => raw(fx(), 'POST', '/api/v1/deps', JSON.stringify(body), json);

    // By guid or logic id; answered with logic ids and the default input name.
    const first = await add({ producer: net, output: 'vpc_id', consumer: 'app' });
    expect(first.status, first.text).toBe(201);
    expect(first.json).toEqual({ producer: 'net', output: 'vpc_id', consumer: 'app', input: 'net_vpc_id', observed: null });
    expect((await add({ producer: 'app', output: 'url', consumer: 'edge', input: 'app_url', mock: 'http://x' })).status).toBe(201);

    const cycle = await add({ producer: 'edge', output: 'dns', consumer: 'net' });
    expect(cycle.status).toBe(409);
    expect(cycle.json).toMatchObject({ code: 'DEPS_CYCLE', cycle: ['edge', 'net', 'app', 'edge'] });
    expect((await add({ producer: 'net', output: 'vpc_id', consumer: 'app', input: 'other' })).json).toMatchObject({ code: 'DEPS_EDGE_EXISTS' });
    expect((await add({ producer: 'nowhere', output: 'x', consumer: 'app' })).json).toMatchObject({ code: 'DEPS_INPUT' });
    expect((await add({ producer: 'net', output: 'x', consumer: 'app', input: 'not an identifier' })).status).toBe(400);
    expect((await raw(fx(), 'POST', '/api/v1/deps', '{', json)).json).toMatchObject({ code: 'DEPS_INPUT' });
    expect((await add({ producer: 'net', consumer: 'app' })).json).toMatchObject({ code: 'DEPS_INPUT' });

    const graph = await raw(fx(), 'GET', '/api/v1/deps');
    expect(graph.status).toBe(200);
    const g = DepsGraph.fromJson(graph.json);
    expect(g.edges().map((e) => `${e.producer}.${e.output}->${e.consumer}`)).toEqual(['app.url->edge', 'net.vpc_id->app']);
    // Neither producer has a state yet: no snapshot, so both edges are pending.
    expect(g.edges().map((e) => g.edgeStatus(e))).toEqual(['pending', 'pending']);

    const status = await raw(fx(), 'GET', '/api/v1/deps/status');
    expect(status.json).toEqual([
      { state: 'app', status: 'stale', incoming: [{ from: 'net', output: 'vpc_id', status: 'pending' }] },
      { state: 'edge', status: 'stale', incoming: [{ from: 'app', output: 'url', status: 'pending' }] },
      { state: 'net', status: 'clean', incoming: [] },
    ]);
    expect((await raw(fx(), 'GET', '/api/v1/deps/status?state=edge')).json).toEqual([{ state: 'edge', status: 'stale', incoming: [{ from: 'app', output: 'url', status: 'pending' }] }]);
    expect((await raw(fx(), 'GET', '/api/v1/deps/order?from=net')).json).toEqual(['app', 'edge']);
    expect((await raw(fx(), 'GET', `/api/v1/deps/order?from=${net}`)).json).toEqual(['app', 'edge']);
    expect((await raw(fx(), 'GET', '/api/v1/deps/order?from=ghost')).json).toMatchObject({ code: 'DEPS_INPUT' });

    // net gets its output; app acknowledges explicitly: app is clean, edge still pending.
    const lineage = '6b0c1f1e-0000-4000-8000-000000000001';
    const doc = { version: 4, terraform_version: '1.11.4', serial: 1, lineage, outputs: { vpc_id: { value: 'vpc-1', type: 'string' } }, resources: [], check_results: null };
    expect((await raw(fx(), 'POST', `/tfstate/${net}`, JSON.stringify(doc), json)).status).toBe(200);
    expect((await raw(fx(), 'POST', '/api/v1/deps/ack', JSON.stringify({ consumer: 'app' }), json)).json).toEqual({ acknowledged: 1 });
    expect((await raw(fx(), 'POST', '/api/v1/deps/ack', JSON.stringify({ consumer: 'app' }), json)).json).toEqual({ acknowledged: 0 });
    expect(((await raw(fx(), 'GET', '/api/v1/deps/status?state=app')).json as unknown as { status: string }[])[0]?.status).toBe('clean');

    // A mock of JSON null is a mock, not the absence of one.
    expect((await add({ producer: 'net', output: 'later', consumer: 'app', input: 'later', mock: null })).status).toBe(201);
    const later = DepsGraph.fromJson((await raw(fx(), 'GET', '/api/v1/deps')).json).edges().find((e) => e.input === 'later');
    expect(later && Object.hasOwn(later, 'mock') && later.mock).toBe(null);
    expect((await raw(fx(), 'DELETE', '/api/v1/deps/net/later/app')).status).toBe(200);

    expect((await raw(fx(), 'DELETE', '/api/v1/deps/app/url/edge')).json).toEqual({ removed: true });
    expect((await raw(fx(), 'DELETE', '/api/v1/deps/app/url/edge')).json).toMatchObject({ code: 'DEPS_EDGE_NOT_FOUND' });
    expect((await raw(fx(), 'DELETE', '/api/v1/deps/app/url/edge')).status).toBe(404);
    const wrong = await raw(fx(), 'PUT', '/api/v1/deps');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, POST');
    expect(DepsGraph.fromJson((await raw(fx(), 'GET', '/api/v1/deps')).json).edges()).toHaveLength(1);
  });
});
