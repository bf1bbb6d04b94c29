// Test support for the state backend: a `velocity serve` server in this process on the shared embedded PostgreSQL
// (a fresh schema per file, migrated by the product's own runner) on 127.0.0.1 and a free port, and terraform
// workspaces whose http backend is one of its states. close() stops the server and drops the schema.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, inject } from 'vitest';
import { backendBlock } from '../../../src/serve/backend-block.js';
import { startServeServer, type ServeServer } from '../../../src/serve/http-server.js';
import { migrateServeUp, openServeDatabase, type ServeDatabase } from '../../../src/serve/open-serve-database.js';
import { StateStore } from '../../../src/serve/state-store.js';
import { dropSchema, freshSchema } from '../../lock/helpers/pg-test-schema.js';
import { tfEnv } from '../../support/terraform-env.js';
import { tfOk } from '../../support/terraform-run.js';

export interface ServeFixture {
  readonly server: ServeServer;
  readonly store: StateStore;
  readonly db: ServeDatabase;
  readonly pgUrl: string;
  readonly schema: string;
  /** Registers a state (fresh UUIDv7) and returns its guid. */
  newState(logicId?: string): Promise<string>;
  /** A scratch dir with `backend.tf` for `guid` and `main.tf` = `blocks`. */
  workspace(guid: string, blocks: readonly string[]): string;
  close(): Promise<void>;
}

export interface ServeFixtureOptions {
  readonly token?: string;
  readonly leaseMs?: number;
  /** Lease of resource locks (`/tfstate/{guid}/locks`). @default 60000 */
  readonly resourceLeaseMs?: number;
  readonly log?: (line: string) => void;
  readonly writeMethods?: readonly ('POST' | 'PUT' | 'PATCH')[];
}

/** Starts the server; `pgUrl` is `inject('pgUrl')`. */
export async function startServeFixture(pgUrl: string, options: ServeFixtureOptions = {}): Promise<ServeFixture> {
  const schema = freshSchema('serve');
  const db = await openServeDatabase({ databaseUrl: pgUrl, schema });
  await migrateServeUp(db);
  const store = new StateStore(db.pool, schema, options.leaseMs ?? 60_000);
  const server = await startServeServer({ store, ...(options.token ? { token: options.token } : {}), ...(options.log ? { log: options.log } : {}), ...(options.resourceLeaseMs ? { resourceLeaseMs: options.resourceLeaseMs } : {}), ...(options.writeMethods ? { writeMethods: options.writeMethods } : {}) });
  const dirs: string[] = [];
  let n = 0;
  return {
    server,
    store,
    db,
    pgUrl,
    schema,
    newState: async (logicId) => {
      const guid = uuidv7();
      await store.create(guid, logicId ?? `state-${++n}`);
      return guid;
    },
    workspace: (guid, blocks) => {
      const dir = mkdtempSync(join(tmpdir(), 'velocity-serve-ws-'));
      dirs.push(dir);
      writeFileSync(join(dir, 'backend.tf'), backendBlock(server.url, guid));
      writeFileSync(join(dir, 'main.tf'), blocks.join('\n\n'));
      return dir;
    },
    close: async () => {
      await server.close();
      await db.close();
      await dropSchema(pgUrl, schema);
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** Terraform's environment for a workspace on this server (password = the token, when given). */
export function serveEnv(token?: string): NodeJS.ProcessEnv {
  return tfEnv(token === undefined ? {} : { TF_HTTP_PASSWORD: token });
}

/** A new state `logicId` with a workspace of SAMPLE_BLOCKS on it, `terraform init`ed (and applied when `apply`). */
export async function sampleServeWorkspace(fx: ServeFixture, logicId: string, options: { readonly apply?: boolean } = {}): Promise<{ guid: string; dir: string; env: NodeJS.ProcessEnv }> {
  const guid = await fx.newState(logicId);
  const dir = fx.workspace(guid, SAMPLE_BLOCKS);
  const env = serveEnv();
  await tfOk(dir, ['init', '-input=false', '-no-color'], env);
  if (options.apply) await tfOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color'], env);
  return { guid, dir, env };
}

/** terraform_data resources: a chain a → b, a `count` pair and a `for_each` map, plus an output. */
export const SAMPLE_BLOCKS: readonly string[] = [
  'resource "terraform_data" "a" {\n  input = "alpha"\n}',
  'resource "terraform_data" "b" {\n  input = terraform_data.a.output\n}',
  'resource "terraform_data" "n" {\n  count = 2\n  input = count.index\n}',
  'resource "terraform_data" "m" {\n  for_each = { x = 1, y = 2 }\n  input = each.value\n}',
  'output "a" {\n  value = terraform_data.a.output\n}',
];

export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  readonly json: Record<string, unknown> | undefined;
}

/** One raw request to the server, as Terraform's http client would send it. */
export async function raw(fx: ServeFixture, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const res = await fetch(`${fx.server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A Terraform-shaped lock info. */
export function foreignLockInfo(id: string, who = 'someone@elsewhere'): Record<string, string> {
  return { ID: id, Operation: 'OperationTypeApply', Info: '', Who: who, Version: '1.11.4', Created: new Date().toISOString(), Path: '' };
}

/** A pass-through proxy in front of the server that keeps the body of every state write (POST/PUT /tfstate/...). */
export async function recordingProxy(target: string): Promise<{ url: string; writes: Buffer[]; close(): Promise<void> }> {
  const { createServer, request } = await import('node:http');
  const writes: Buffer[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if ((req.method === 'POST' || req.method === 'PUT') && /^\/tfstate\/[^/]+(\?|$)/.test(req.url ?? '')) writes.push(body);
      const u = new URL(req.url ?? '/', target);
      const out = request(u, { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      out.on('error', () => res.destroy());
      out.end(body);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    writes,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

/** In a describe block: a fresh server for its tests (started before them, closed after them); call the getter in a test. */
export function useServeFixture(options: ServeFixtureOptions = {}): () => ServeFixture {
  let fx: ServeFixture | undefined;
  beforeAll(async () => {
    fx = await startServeFixture(inject('pgUrl'), options);
  });
  afterAll(async () => {
    await fx?.close();
  });
  return () => fx as ServeFixture;
}

/**
 * In a describe block: a server (on the shared PostgreSQL) for its tests, closed after them, and every line it
 * logged. Call `server()` inside a test.
 */
export function useLoggedServeFixture(options: Omit<ServeFixtureOptions, 'log'> = {}): { server: () => ServeFixture; log: string[] } {
  const log: string[] = [];
  return { server: useServeFixture({ ...options, log: (l) => log.push(l) }), log };
}
