// Tells whether a working directory's backend is a `velocity serve` state: its initialized backend
// (`.terraform/terraform.tfstate`) is `http` with an address `<origin>/tfstate/<uuid>`, and `<origin>/api/v1/server`
// answers as a velocity server. Guarantees: bounded (one request, 2 s); any failure to tell means "not velocity".

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { authorizationOf } from './serve-request.js';

/** Basic-auth credentials the binary would send to the backend. */
export interface BackendAuth {
  readonly username: string;
  readonly password: string;
}

/** A state on a velocity server. */
export interface VelocityBackend {
  /** `http://host:port` (plus any path prefix in front of /tfstate), no trailing slash. */
  readonly origin: string;
  /** The state's guid (lower case). */
  readonly guid: string;
  readonly auth: BackendAuth | undefined;
}

const ADDRESS = /^(.*)\/tfstate\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i;
/** How long the server probe may take. */
const PROBE_TIMEOUT_MS = 2_000;

/** The http backend settings `init` recorded for `workDir`, or undefined. O(backend file). */
function httpBackendConfig(workDir: string, env: NodeJS.ProcessEnv): Record<string, unknown> | undefined {
  const dataDir = env['TF_DATA_DIR'] !== undefined && env['TF_DATA_DIR'] !== '' ? resolve(workDir, env['TF_DATA_DIR']) : join(workDir, '.terraform');
  try {
    const doc = JSON.parse(readFileSync(join(dataDir, 'terraform.tfstate'), 'utf8')) as { backend?: { type?: unknown; config?: unknown } };
    const config = doc.backend?.config;
    if (doc.backend?.type !== 'http' || typeof config !== 'object' || config === null) return undefined;
    return config as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * The velocity state `workDir`'s backend points at, or undefined (another backend, not initialized, a plain http
 * server, an unreachable or slow server). Credentials: the backend's `username`/`password`, else
 * TF_HTTP_USERNAME/TF_HTTP_PASSWORD, as the binary takes them. Cost: one file read and at most one GET (2 s).
 */
export async function detectVelocityBackend(workDir: string, env: NodeJS.ProcessEnv): Promise<VelocityBackend | undefined> {
  const config = httpBackendConfig(workDir, env);
  const address = config?.['address'];
  if (config === undefined || typeof address !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const m = ADDRESS.exec(`${url.origin}${url.pathname}`);
  if (!m || url.search !== '') return undefined;
  const text = (k: string, envName: string): string | undefined => {
    const v = config[k];
    if (typeof v === 'string' && v !== '') return v;
    const e = env[envName];
    return e !== undefined && e !== '' ? e : undefined;
  };
  const username = text('username', 'TF_HTTP_USERNAME');
  const password = text('password', 'TF_HTTP_PASSWORD');
  const auth = username === undefined && password === undefined ? undefined : { username: username ?? '', password: password ?? '' };
  const origin = m[1] as string;
  const authorization = authorizationOf(auth);
  try {
    const res = await fetch(`${origin}/api/v1/server`, { headers: authorization ? { authorization } : {}, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (res.status !== 200) return undefined;
    const body = (await res.json()) as { server?: unknown; subgraph?: unknown };
    if (body.server !== 'velocity' || typeof body.subgraph !== 'number' || body.subgraph < 1) return undefined;
  } catch {
    return undefined; // unreachable, slow, not JSON: the plain push path stays
  }
  return { origin, guid: (m[2] as string).toLowerCase(), auth };
}
