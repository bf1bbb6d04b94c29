// The one place a CLI command turns `--server URL [--token-file F]` into a ServeClient (`velocity state`, `deps
// --server`, `graph --states --server`). Guarantees: the token is --token-file's, else $VELOCITY_TOKEN, else
// $TF_HTTP_PASSWORD; no server is a UsageError (exit 2) saying where one comes from.

import { UsageError } from '../errors.js';
import type { ServeClient } from '../serve/serve-client.js';
import type { CliIo } from './cli-io.js';
import { readTokenFile } from './serve-options.js';

/** parseArgs options of a command that talks to a velocity server. */
export const serveClientOptions = {
  server: { type: 'string' },
  'token-file': { type: 'string' },
} as const;

/**
 * A client of `server` with the token of `tokenFile` or the environment. O(token file).
 * @param noServer the usage text when `server` is undefined or empty
 * @throws UsageError (no server), VelocityError TOKEN_FILE, ServeClientError SERVE_BAD_URL
 */
export async function openServeClient(values: { readonly server?: string | undefined; readonly 'token-file'?: string | undefined }, io: CliIo, noServer: string): Promise<ServeClient> {
  const server = values.server;
  if (server === undefined || server === '') throw new UsageError(noServer);
  const token = values['token-file'] !== undefined ? await readTokenFile(values['token-file'], io) : io.env['VELOCITY_TOKEN'] || io.env['TF_HTTP_PASSWORD'] || undefined;
  const { ServeClient } = await import('../serve/serve-client.js');
  return new ServeClient(server, token);
}
