// Both velocity clients (ServeClient's JSON API and serveRequest's state API) share one HTTP exchange: no server at
// the address is SERVE_UNREACHABLE, an answer that is not JSON is SERVE_BAD_ANSWER, and a refusal keeps the
// server's code, never a raw fetch or parse error.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ServeClient } from '../../src/serve/serve-client.js';
import { serveRequest } from '../../src/serve/serve-request.js';

let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith('/text')) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>a proxy page</html>');
      return;
    }
    res.writeHead(409, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 'STATE_EXISTS', message: 'taken' }));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

it('answers no server, no JSON and a refusal with typed codes', async () => {
  // A port nobody listens on: bind one, then close it.
  const closed = createServer();
  await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
  const dead = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((ok) => closed.close(() => ok()));
  const backend = (origin: string) => ({ origin, guid: '01a2372e-d8b4-76f7-b268-5a48fcd208ae', auth: undefined });

  await expect(new ServeClient(dead).list()).rejects.toMatchObject({ code: 'SERVE_UNREACHABLE', message: expect.stringContaining('cannot reach the velocity server') });
  await expect(serveRequest(backend(dead), 'GET', '/api/v1/server')).rejects.toMatchObject({ code: 'SERVE_UNREACHABLE' });
  await expect(new ServeClient(`${url}/text`).list()).rejects.toMatchObject({ code: 'SERVE_BAD_ANSWER', status: 200 });
  await expect(serveRequest(backend(url), 'GET', '/text')).rejects.toMatchObject({ code: 'SERVE_BAD_ANSWER', status: 200 });
  await expect(new ServeClient(url).create('01a2372e-d8b4-76f7-b268-5a48fcd208ae', 'x')).rejects.toMatchObject({ code: 'STATE_EXISTS', status: 409, message: 'taken' });
  expect(await serveRequest(backend(url), 'POST', '/anything', { body: {} })).toEqual({ status: 409, body: { code: 'STATE_EXISTS', message: 'taken' } });
});
