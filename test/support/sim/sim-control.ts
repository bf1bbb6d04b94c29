// The sim's HTTP control endpoint on 127.0.0.1 (random free port): JSON in, JSON out, one route per knob.
// Guarantees: a malformed request gets 400 with {"error": ...} and changes nothing; every success answers JSON.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimCloud, SimFailures } from './sim-cloud.js';

/** A running control endpoint. */
export interface SimControlServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Close the listener and its connections. Idempotent. */
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;

/**
 * Serve the control API for `cloud`. O(1) per request except GET /objects (O(n log n)). Routes:
 *   GET  /counters          -> SimCounters            POST /counters/reset -> {}
 *   POST /latency {ms}      -> {}                     POST /fail {read?, plan?, apply?: string[]} -> {}
 *   POST /drift {name, value: string|null} -> {}      POST /delete {name} -> {}
 *   GET  /objects           -> KnownSimObject[]       GET  /health -> {ok: true}
 *   POST /hold {apply: string[], timeoutMs} -> {}     POST /release -> {}      GET /held -> {held: number}
 */
export async function serveSimControl(cloud: SimCloud): Promise<SimControlServer> {
  const server = createServer((req, res) => {
    handle(cloud, req, res).catch((err: unknown) => reply(res, 400, { error: err instanceof Error ? err.message : String(err) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      return closed;
    },
  };
}

async function handle(cloud: SimCloud, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const route = `${req.method ?? 'GET'} ${new URL(req.url ?? '/', 'http://x').pathname}`;
  const body = req.method === 'POST' ? await readJson(req) : {};
  switch (route) {
    case 'GET /health':
      return reply(res, 200, { ok: true });
    case 'GET /counters':
      return reply(res, 200, cloud.counters());
    case 'POST /counters/reset':
      cloud.resetCounters();
      return reply(res, 200, {});
    case 'POST /latency':
      cloud.setLatency(numberField(body, 'ms'));
      return reply(res, 200, {});
    case 'POST /fail':
      cloud.failOn(failuresOf(body));
      return reply(res, 200, {});
    case 'POST /drift': {
      const value = body.value;
      if (value !== null && typeof value !== 'string') throw new Error('"value" must be a string or null');
      cloud.injectDrift(stringField(body, 'name'), value);
      return reply(res, 200, {});
    }
    case 'POST /delete':
      cloud.deleteObject(stringField(body, 'name'));
      return reply(res, 200, {});
    case 'GET /objects':
      return reply(res, 200, cloud.list());
    case 'POST /hold': {
      const names = body.apply;
      if (!Array.isArray(names) || !names.every((x) => typeof x === 'string')) throw new Error('"apply" must be an array of names');
      cloud.holdApplies(names as string[], numberField(body, 'timeoutMs'));
      return reply(res, 200, {});
    }
    case 'POST /release':
      cloud.releaseApplies();
      return reply(res, 200, {});
    case 'GET /held':
      return reply(res, 200, { held: cloud.heldApplies() });
    default:
      return reply(res, 404, { error: `no route ${route}` });
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const parsed: unknown = text === '' ? {} : JSON.parse(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function failuresOf(body: Record<string, unknown>): SimFailures {
  const out: { read?: string[]; plan?: string[]; apply?: string[] } = {};
  for (const op of ['read', 'plan', 'apply'] as const) {
    const v = body[op];
    if (v === undefined) continue;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error(`"${op}" must be an array of names`);
    out[op] = v as string[];
  }
  return out;
}

function stringField(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v !== 'string') throw new Error(`"${key}" must be a string`);
  return v;
}

function numberField(body: Record<string, unknown>, key: string): number {
  const v = body[key];
  if (typeof v !== 'number') throw new Error(`"${key}" must be a number`);
  return v;
}

function reply(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
