// `velocity serve`'s HTTP server: Terraform's http backend protocol at /tfstate/{guid} (GET; POST/PUT writes with
// ?ID=; /lock LOCK|PUT|POST; /unlock UNLOCK|PUT|DELETE|POST; anything else 405), velocity's resource locks
// (/tfstate/{guid}/locks) and subgraph writes (/tfstate/{guid}/subgraph), /api/v1/server, a small JSON API at
// /api/v1/states for the `velocity state` commands and the states' dependency graph at /api/v1/deps.
// Guarantees: every refusal is a typed 4xx with a JSON body `{code, message}` (lock refusals carry the holder's
// LockInfo fields at the top level, as Terraform reads them); without a token only loopback peers are served; with one, HTTP basic auth whose password is the token, else 401.

import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { lockInfoFromJson, type LockInfo } from '../lock/lock-info.js';
import { depsApi } from './deps-api.js';
import { notAllowed, ServeError } from './serve-errors.js';
import { parseStateBody } from './state-document.js';
import { StateLocks } from './state-locks.js';
import { checkGuid, type StateStore } from './state-store.js';
import { parseSubgraphRequest } from './subgraph-request.js';

const require = createRequire(import.meta.url);
// NOTE: src/serve and dist/serve are both two levels below the package root.
const VERSION = (require('../../package.json') as { version: string }).version;

/** A state over this many bytes is stored with a warning header and a log line. */
export const LARGE_STATE_BYTES = 10 * 1024 * 1024;
/** The warning header on a write over LARGE_STATE_BYTES. */
export const LARGE_STATE_HEADER = 'x-velocity-warning';

export interface ServeServerOptions {
  readonly store: StateStore;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** The basic-auth password every request must carry; undefined: loopback peers only, no auth. */
  readonly token?: string;
  /** Largest body accepted. @default 1 GiB */
  readonly maxBodyBytes?: number;
  /** One line per notable event (large states, errors). @default nothing */
  readonly log?: (line: string) => void;
  /**
   * Methods that write a whole state (Terraform's http backend `update_method`): POST and PUT, plus PATCH when the
   * backend blocks are configured with `update_method = "PATCH"`. @default ['POST', 'PUT']
   */
  readonly writeMethods?: readonly ('POST' | 'PUT' | 'PATCH')[];
  /** Lease of the resource locks of `/tfstate/{guid}/locks` (renewed by `.../renew` and by subgraph writes). @default 60000 */
  readonly resourceLeaseMs?: number;
}

export interface ServeServer {
  /** `http://host:port` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const LOCK_METHODS = ['LOCK', 'PUT', 'POST'];
const UNLOCK_METHODS = ['UNLOCK', 'PUT', 'DELETE', 'POST'];

function isLoopback(addr: string | undefined): boolean {
  return addr !== undefined && (addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.'));
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendError(res: ServerResponse, error: ServeError, headers: Record<string, string> = {}): void {
  sendJson(res, error.status, { ...(error.holder ?? {}), ...error.detail, code: error.code, message: error.message }, headers);
}

async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > max) throw new ServeError('STATE_TOO_LARGE', 413, `the body is over ${max} bytes; nothing was stored`);
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

function lockInfoOf(body: Buffer): LockInfo {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ServeError('LOCK_INFO_INVALID', 400, 'the lock body is not JSON lock info');
  }
  const info = lockInfoFromJson(parsed);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(info.ID)) throw new ServeError('LOCK_INFO_INVALID', 400, `the lock info's ID is not a UUID: ${JSON.stringify(info.ID)}`);
  return { ...info, ID: info.ID.toLowerCase() };
}

function checkAuth(req: IncomingMessage, token: string | undefined): void {
  if (token === undefined) {
    if (!isLoopback(req.socket.remoteAddress)) throw new ServeError('AUTH_REQUIRED', 401, 'this server has no token and serves loopback peers only');
    return;
  }
  const h = req.headers.authorization ?? '';
  const m = /^Basic\s+(\S+)$/i.exec(h);
  const decoded = m ? Buffer.from(m[1] as string, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  const given = Buffer.from(colon < 0 ? '' : decoded.slice(colon + 1));
  const want = Buffer.from(token);
  if (given.length !== want.length || !timingSafeEqual(given, want)) throw new ServeError('AUTH_REQUIRED', 401, 'missing or wrong credentials (HTTP basic auth: any username, the token as password)');
}

/** Starts the server; resolves once it listens. Each request costs what its storage call costs (see StateStore). */
export async function startServeServer(options: ServeServerOptions): Promise<ServeServer> {
  const { store } = options;
  const host = options.host ?? '127.0.0.1';
  const max = options.maxBodyBytes ?? 1 << 30;
  const log = options.log ?? (() => {});
  const writeMethods: readonly string[] = options.writeMethods ?? ['POST', 'PUT'];
  const resourceLeaseMs = options.resourceLeaseMs ?? 60_000;
  const locks = new StateLocks(store, resourceLeaseMs);
  const deps = store.deps();

  async function handleLocks(req: IncomingMessage, res: ServerResponse, guid: string, rest: readonly string[]): Promise<void> {
    const method = req.method ?? '';
    const [id, action, ...more] = rest;
    if (more.length > 0 || (action !== undefined && action !== 'renew')) throw new ServeError('NOT_FOUND', 404, `no such endpoint: ${req.url}`);
    if (id === undefined) {
      if (method === 'GET') return sendJson(res, 200, await locks.list(guid));
      if (method === 'POST') return sendJson(res, 200, await locks.grant(guid, await readBody(req, 64 << 20)));
      throw notAllowed(method, ['GET', 'POST']);
    }
    if (action === 'renew') {
      if (method !== 'POST') throw notAllowed(method, ['POST']);
      return sendJson(res, 200, await locks.renew(guid, id, await readBody(req, 64 << 20)));
    }
    if (method !== 'DELETE') throw notAllowed(method, ['DELETE']);
    return sendJson(res, 200, await locks.release(guid, id));
  }

  async function handleState(req: IncomingMessage, res: ServerResponse, guid: string, sub: string | undefined, query: URLSearchParams): Promise<void> {
    const method = req.method ?? '';
    if (sub === undefined) {
      if (method !== 'GET' && !writeMethods.includes(method)) throw notAllowed(method, ['GET', ...writeMethods]);
      if (method === 'GET') {
        let started = false;
        const found = await store.read(guid, async (chunk) => {
          if (!started) {
            res.writeHead(200, { 'content-type': 'application/json' });
            started = true;
          }
          if (!res.write(chunk)) await new Promise<void>((ok) => res.once('drain', ok));
        }).catch((error: unknown) => {
          if (!started) throw error;
          log(`GET /tfstate/${guid}: ${(error as Error).message}; the response is cut`);
          res.destroy();
          return true;
        });
        if (!found) {
          res.writeHead(204);
          res.end();
          return;
        }
        res.end();
        return;
      }
      const body = await readBody(req, max);
      // Terraform's http client sends the body's MD5: a body cut or changed on the way is refused, not stored.
      const md5 = req.headers['content-md5'];
      if (typeof md5 === 'string' && md5 !== '' && createHash('md5').update(body).digest('base64') !== md5) {
        throw new ServeError('STATE_CHECKSUM_MISMATCH', 400, `the body does not match its Content-MD5 (${body.length} bytes received); nothing was stored`);
      }
      const parsed = parseStateBody(body);
      const result = await store.write(guid, body, { lockId: query.get('ID') ?? undefined, parsed });
      const headers: Record<string, string> = {};
      if (body.length > LARGE_STATE_BYTES) {
        const warning = `state ${guid} is ${body.length} bytes, over ${LARGE_STATE_BYTES}: stored, but large states are slow to plan and to move`;
        headers[LARGE_STATE_HEADER] = warning;
        log(`warning: ${warning}`);
      }
      sendJson(res, 200, { version: result.version, serial: result.serial }, headers);
      return;
    }
    if (sub === 'lock') {
      if (!LOCK_METHODS.includes(method)) throw notAllowed(method, LOCK_METHODS);
      const info = lockInfoOf(await readBody(req, 1 << 20));
      const r = await store.lock(guid, info);
      if (r.granted) {
        sendJson(res, 200, info);
        return;
      }
      sendError(res, new ServeError('STATE_LOCKED', 423, `the state is locked by ${r.holder.Who || 'someone'} (lock ${r.holder.ID})`, { holder: r.holder }));
      return;
    }
    if (sub === 'unlock') {
      if (!UNLOCK_METHODS.includes(method)) throw notAllowed(method, UNLOCK_METHODS);
      const body = await readBody(req, 1 << 20);
      // NOTE: Terraform's force-unlock sends the unlock request with no body (the client never locked).
      const id = body.toString('utf8').trim() === '' ? undefined : lockInfoOf(body).ID;
      const r = await store.unlock(guid, id);
      if (id === undefined && r.released) log(`state ${guid}: force-unlocked`);
      sendJson(res, 200, { released: r.released });
      return;
    }
    if (sub === 'subgraph') {
      if (method !== 'POST') throw notAllowed(method, ['POST']);
      const request = parseSubgraphRequest(await readBody(req, max));
      return sendJson(res, 200, await store.writeSubgraph(guid, query.get('ID') ?? '', request, resourceLeaseMs));
    }
    throw new ServeError('NOT_FOUND', 404, `no such endpoint: /tfstate/${guid}/${sub}`);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, parts: string[]): Promise<void> {
    const method = req.method ?? '';
    if (parts.length === 0) {
      if (method === 'GET') return sendJson(res, 200, await store.list());
      if (method === 'POST') {
        let o: { guid?: unknown; logic_id?: unknown };
        try {
          o = JSON.parse((await readBody(req, 1 << 20)).toString('utf8')) as typeof o;
        } catch {
          throw new ServeError('BAD_REQUEST', 400, 'the body is not JSON {"guid": ..., "logic_id": ...}');
        }
        if (typeof o.guid !== 'string' || typeof o.logic_id !== 'string') throw new ServeError('BAD_REQUEST', 400, 'the body needs "guid" and "logic_id" strings');
        return sendJson(res, 201, await store.create(o.guid, o.logic_id));
      }
      throw notAllowed(method, ['GET', 'POST']);
    }
    const [id, action, ...rest] = parts as [string, string | undefined, ...string[]];
    if (rest.length > 0) throw new ServeError('NOT_FOUND', 404, `no such endpoint: ${req.url}`);
    if (action === undefined) {
      if (method !== 'GET') throw notAllowed(method, ['GET']);
      return sendJson(res, 200, await store.get(id));
    }
    if (action === 'history') {
      if (method !== 'GET') throw notAllowed(method, ['GET']);
      return sendJson(res, 200, await store.history(id));
    }
    if (action === 'rollback') {
      if (method !== 'POST') throw notAllowed(method, ['POST']);
      let serial: unknown;
      try {
        serial = (JSON.parse((await readBody(req, 1 << 20)).toString('utf8')) as { serial?: unknown }).serial;
      } catch {
        serial = undefined;
      }
      if (typeof serial !== 'number' || !Number.isSafeInteger(serial)) throw new ServeError('BAD_REQUEST', 400, 'the body needs {"serial": N}');
      return sendJson(res, 200, await store.rollback(id, serial));
    }
    throw new ServeError('NOT_FOUND', 404, `no such endpoint: ${req.url}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://server');
    checkAuth(req, options.token);
    const parts = url.pathname.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
    if (parts[0] === 'tfstate' && parts[2] === 'locks' && parts.length <= 5) return handleLocks(req, res, checkGuid(parts[1] as string), parts.slice(3));
    if (parts[0] === 'tfstate' && parts.length >= 2 && parts.length <= 3) {
      return handleState(req, res, checkGuid(parts[1] as string), parts[2], url.searchParams);
    }
    if (parts.length === 3 && parts[0] === 'api' && parts[1] === 'v1' && parts[2] === 'server') {
      if (req.method !== 'GET') throw notAllowed(req.method ?? '', ['GET']);
      return sendJson(res, 200, { server: 'velocity', version: VERSION, subgraph: 1 });
    }
    if (parts[0] === 'api' && parts[1] === 'v1' && parts[2] === 'states') return handleApi(req, res, parts.slice(3));
    if (parts[0] === 'api' && parts[1] === 'v1' && parts[2] === 'deps') {
      const answer = await depsApi(deps, req.method ?? '', parts.slice(3), url.searchParams, () => readBody(req, 16 << 20));
      return sendJson(res, answer.status, answer.body);
    }
    throw new ServeError('NOT_FOUND', 404, `no such endpoint: ${url.pathname}`);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (req.destroyed && !req.complete) {
        // The client went away mid-body (killed, or its connection dropped): no answer to send, nothing was stored.
        log(`${req.method} ${req.url}: the client went away before the end of the body; nothing was stored`);
        return;
      }
      // The rest of a refused body is drained so the client reads the answer instead of a reset.
      req.resume();
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof ServeError) {
        const allow = (error as { allow?: string }).allow;
        sendError(res, error, allow ? { allow } : error.status === 401 ? { 'www-authenticate': 'Basic realm="velocity"' } : {});
        return;
      }
      log(`${req.method} ${req.url}: internal error: ${error instanceof Error ? error.message : String(error)}`);
      sendJson(res, 500, { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) });
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => {
      server.removeListener('error', fail);
      ok();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
