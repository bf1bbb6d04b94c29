// ServeClient's deps methods speak the contract (CONTRACT-DEPS-SERVER): the requests they send (method, path with
// each segment URL-encoded, body, the token as basic auth), what they make of the answers (a DepsGraph from the
// graph's JSON), and refusals as the local graph's errors, against a stub server on 127.0.0.1.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DepsCycleError, DepsEdgeExistsError, DepsEdgeNotFoundError, DepsInputError } from '../../src/deps/deps-errors.js';
import { DepsGraph } from '../../src/deps/deps-graph.js';
import { ServeClient, ServeClientError } from '../../src/serve/serve-client.js';

interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  body: unknown;
}
const seen: Seen[] = [];
/** The next answers, in order: [status, body]. */
const answers: [number, unknown][] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body: text === '' ? undefined : JSON.parse(text) });
      const [status, body] = answers.shift() ?? [500, { code: 'NO_ANSWER', message: 'the test gave none' }];
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

it('sends the contract requests and reads their answers', async () => {
  const c = new ServeClient(url, 'tok');
  const g = new DepsGraph();
  g.add({ producer: 'team/net', output: 'vpc', consumer: 'app', observed: 'd1' });
  g.observeProducer('team/net', { serial: 3, lineage: 'L', outputs: { vpc: 'd2' }, readAt: '2026-01-01T00:00:00.000Z' });
  answers.push([200, g.toJson()], [201, { producer: 'team/net', output: 'vpc', consumer: 'edge', input: 'net', observed: null, mock: [1] }], [200, { removed: true }], [200, { acknowledged: 2 }]);

  const graph = await c.depsGraph();
  expect(graph.toJson()).toEqual(g.toJson());
  expect(graph.edges().map((e) => graph.edgeStatus(e))).toEqual(['dirty']);
  expect((await c.depsAdd({ producer: 'team/net', output: 'vpc', consumer: 'edge', input: 'net', mock: [1] })).input).toBe('net');
  await c.depsRemove('team/net', 'a b', 'app?x');
  expect(await c.depsAck('app')).toBe(2);

  const auth = `Basic ${Buffer.from('velocity:tok').toString('base64')}`;
  expect(seen.splice(0)).toEqual([
    { method: 'GET', url: '/api/v1/deps', auth, body: undefined },
    { method: 'POST', url: '/api/v1/deps', auth, body: { producer: 'team/net', output: 'vpc', consumer: 'edge', input: 'net', mock: [1] } },
    { method: 'DELETE', url: '/api/v1/deps/team%2Fnet/a%20b/app%3Fx', auth, body: undefined },
    { method: 'POST', url: '/api/v1/deps/ack', auth, body: { consumer: 'app' } },
  ]);
});

it('throws the local graph errors for DEPS_* refusals, ServeClientError for the rest', async () => {
  const c = new ServeClient(url);
  answers.push(
    [409, { code: 'DEPS_CYCLE', message: 'cycle', cycle: ['b', 'a', 'b'] }],
    [409, { code: 'DEPS_EDGE_EXISTS', message: 'exists' }],
    [400, { code: 'DEPS_INPUT', message: 'no state "nope"' }],
    [404, { code: 'DEPS_EDGE_NOT_FOUND', message: 'no edge' }],
    [400, { code: 'DEPS_INPUT', message: 'no state "x"' }],
    [401, { code: 'AUTH_REQUIRED', message: 'token' }],
    [200, { format: 'something-else' }],
  );
  const add = { producer: 'b', output: 'o', consumer: 'a' };
  const cycle = await c.depsAdd(add).catch((e: unknown) => e);
  expect(cycle).toBeInstanceOf(DepsCycleError);
  expect((cycle as DepsCycleError).cycle).toEqual(['b', 'a', 'b']);
  await expect(c.depsAdd(add)).rejects.toBeInstanceOf(DepsEdgeExistsError);
  await expect(c.depsAdd(add)).rejects.toMatchObject({ constructor: DepsInputError, code: 'DEPS_INPUT', message: 'no state "nope"' });
  await expect(c.depsRemove('b', 'o', 'a')).rejects.toBeInstanceOf(DepsEdgeNotFoundError);
  await expect(c.depsAck('x')).rejects.toBeInstanceOf(DepsInputError);
  await expect(c.depsGraph()).rejects.toMatchObject({ constructor: ServeClientError, code: 'AUTH_REQUIRED', status: 401 });
  await expect(c.depsGraph()).rejects.toMatchObject({ constructor: ServeClientError, code: 'SERVE_BAD_ANSWER' });
  seen.splice(0);
});
