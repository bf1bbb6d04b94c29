// Tells whether a working directory's backend is a `velocity serve` state: its initialized backend
// (`.terraform/terraform.tfstate`) is `http` with an address `<origin>/tfstate/<uuid>`, and `<origin>/api/v1/server`
// answers as a velocity server. Guarantees: bounded (2 s, then once more 15 s for a server that accepted the connection
// but is slow); an answer that is not velocity's, or no server at all, means "not velocity"; a server that never
// answers is a typed error, never a silent switch to the whole-state path (whose compare-and-swap would then fail).

import { VelocityError } from '../errors.js';
import { initializedHttpBackend, serverStateAddress } from './server-state-address.js';
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

/** How long each server probe may take: a loaded server (many applies at once) may need more than the first. */
const PROBE_TIMEOUTS_MS = [2_000, 15_000];

/** A server at a velocity-shaped address accepted the probe but did not answer it in time. */
export class BackendProbeTimeoutError extends VelocityError {
  constructor(origin: string, ms: number) {
    super('BACKEND_PROBE_TIMEOUT', `the state backend at ${origin} did not answer velocity's probe (${origin}/api/v1/server) within ${ms / 1000} s; nothing was run: retry when it answers`);
  }
}

/**
 * The velocity state `workDir`'s backend points at, or undefined (another backend, not initialized, a plain http
 * server, no server at the address). Credentials: the backend's `username`/`password`, else
 * TF_HTTP_USERNAME/TF_HTTP_PASSWORD, as the binary takes them. Cost: one file read and one GET (2 s; a slow server
 * one more, 15 s).
 * @throws BackendProbeTimeoutError when a server accepted both probes and answered neither
 */
export async function detectVelocityBackend(workDir: string, env: NodeJS.ProcessEnv, options: { readonly probeTimeoutsMs?: readonly number[] } = {}): Promise<VelocityBackend | undefined> {
  const config = initializedHttpBackend(workDir, env);
  const at = serverStateAddress(config?.['address']);
  if (config === undefined || at === undefined) return undefined;
  const text = (k: string, envName: string): string | undefined => {
    const v = config[k];
    if (typeof v === 'string' && v !== '') return v;
    const e = env[envName];
    return e !== undefined && e !== '' ? e : undefined;
  };
  const username = text('username', 'TF_HTTP_USERNAME');
  const password = text('password', 'TF_HTTP_PASSWORD');
  const auth = username === undefined && password === undefined ? undefined : { username: username ?? '', password: password ?? '' };
  const { origin, guid } = at;
  const authorization = authorizationOf(auth);
  const timeouts = options.probeTimeoutsMs ?? PROBE_TIMEOUTS_MS;
  for (const [attempt, ms] of timeouts.entries()) {
    try {
      const res = await fetch(`${origin}/api/v1/server`, { headers: authorization ? { authorization } : {}, signal: AbortSignal.timeout(ms) });
      if (res.status !== 200) return undefined;
      const body = (await res.json()) as { server?: unknown; subgraph?: unknown };
      if (body.server !== 'velocity' || typeof body.subgraph !== 'number' || body.subgraph < 1) return undefined;
      return { origin, guid, auth };
    } catch (error) {
      // NOTE: only a timeout is retried: a refused connection or an answer that is not JSON is not a velocity server.
      if ((error as Error).name !== 'TimeoutError') return undefined;
      if (attempt === timeouts.length - 1) throw new BackendProbeTimeoutError(origin, ms);
    }
  }
  return undefined;
}
