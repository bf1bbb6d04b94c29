// Where a state on a velocity server lives: an http backend address `<origin>/tfstate/<uuid>`, and the http backend
// that `init` recorded for a working directory. Guarantees: no I/O beyond the one backend file; an address of any
// other shape (a query, another scheme, no uuid) is not a server state.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A state's place on a server. */
export interface ServerStateAddress {
  /** `http://host:port` (plus any path prefix in front of /tfstate), no trailing slash. */
  readonly origin: string;
  /** The state's guid (lower case). */
  readonly guid: string;
}

const ADDRESS = /^(.*)\/tfstate\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i;

/** `address` as a server state, or undefined. O(1). */
export function serverStateAddress(address: unknown): ServerStateAddress | undefined {
  if (typeof address !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const m = ADDRESS.exec(`${url.origin}${url.pathname}`);
  if (!m || url.search !== '') return undefined;
  return { origin: m[1] as string, guid: (m[2] as string).toLowerCase() };
}

/** The http backend settings `init` recorded for `workDir` (`$TF_DATA_DIR` or `.terraform`), or undefined. O(backend file). */
export function initializedHttpBackend(workDir: string, env: NodeJS.ProcessEnv): Record<string, unknown> | undefined {
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
