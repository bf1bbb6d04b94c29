// `velocity serve`: the Terraform http state backend on PostgreSQL (src/serve). Migrates the schema, listens
// (127.0.0.1 unless told otherwise), prints the backend block to use, and runs until SIGINT/SIGTERM (exit 130/143)
// or a closed output pipe (141), then stops cleanly: the listener, the pool, an embedded server it started.

import { VelocityError, UsageError } from '../errors.js';
import { InterruptSource } from '../tf/interrupt-source.js';
import type { Command } from './cli-io.js';
import { parseCommandArgs } from './parse-command-args.js';
import { parseDuration } from './parse-duration.js';
import { DATABASE_USAGE, databaseOptions, readTokenFile } from './serve-options.js';

const USAGE = `usage: velocity serve [--listen HOST:PORT] [--token-file F] [--lock-lease DURATION] [--resource-lease DURATION]
  --listen HOST:PORT  where to listen (default: 127.0.0.1:8080; PORT 0 picks a free one)
  --token-file F      require HTTP basic auth with this file's token as password (Terraform: TF_HTTP_PASSWORD);
                      without it only loopback is served and no credentials are asked
  --lock-lease D      a whole-state lock not renewed by a write for this long expires (default: 1h)
  --resource-lease D  a resource lock (velocity's, /tfstate/GUID/locks) not renewed for this long expires (default: 60s)
${DATABASE_USAGE}`;

/** `HOST:PORT`, `[V6]:PORT`, `:PORT` or `PORT`. @throws UsageError */
function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text) ?? (/^\d+$/.test(text) ? [text, undefined, '', text] : null);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) throw new UsageError(`--listen must be HOST:PORT (e.g. 127.0.0.1:8080), not ${JSON.stringify(text)}\n${USAGE}`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

const isLoopbackHost = (h: string): boolean => h === 'localhost' || h === '::1' || /^127\./.test(h);

export const serveCommand: Command = async (args, io) => {
  const { values, help } = parseCommandArgs(args, { ...databaseOptions, listen: { type: 'string' }, 'token-file': { type: 'string' }, 'lock-lease': { type: 'string' }, 'resource-lease': { type: 'string' } }, USAGE, { maxPositionals: 0, refuseEmpty: true });
  if (help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const { host, port } = parseListen(values.listen ?? '127.0.0.1:8080');
  const leaseMs = values['lock-lease'] === undefined ? 3_600_000 : parseDuration(values['lock-lease'], '--lock-lease', { minMs: 1000 });
  const resourceLeaseMs = values['resource-lease'] === undefined ? 60_000 : parseDuration(values['resource-lease'], '--resource-lease', { minMs: 1000 });
  const token = values['token-file'] === undefined ? undefined : await readTokenFile(values['token-file'], io);
  if (token === undefined && !isLoopbackHost(host)) {
    throw new VelocityError('SERVE_NEEDS_TOKEN', `--listen ${host} is not a loopback address: give --token-file so that clients must authenticate`);
  }
  const signal = io.interrupts?.take();
  const { openServeDatabase, migrateServeUp } = await import('../serve/open-serve-database.js');
  const { StateStore } = await import('../serve/state-store.js');
  const { startServeServer } = await import('../serve/http-server.js');
  const db = await openServeDatabase({ ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}), ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}), ...(values.schema ? { schema: values.schema } : {}), cwd: io.cwd, env: io.env });
  try {
    const applied = await migrateServeUp(db);
    for (const a of applied) if (a.applied.length > 0) io.stderr(`velocity serve: migrated ${a.component} to ${a.applied.at(-1)}\n`);
    const store = new StateStore(db.pool, db.schema, leaseMs);
    const server = await startServeServer({ store, host, port, resourceLeaseMs, ...(token ? { token } : {}), log: (line) => io.stderr(`velocity serve: ${line}\n`) });
    try {
      io.stdout(`# Create a state with \`velocity state create NAME --server ${server.url}\`, then \`velocity state init NAME\` writes:\n`);
      io.stdout(`terraform {\n  backend "http" {\n    address        = "${server.url}/tfstate/<GUID>"\n    lock_address   = "${server.url}/tfstate/<GUID>/lock"\n    unlock_address = "${server.url}/tfstate/<GUID>/unlock"\n    lock_method    = "LOCK"\n    unlock_method  = "UNLOCK"\n    username       = "velocity"\n  }\n}\n`);
      // NOTE: the listening line last: a supervisor (or a test) that waits for it has seen everything before it.
      io.stderr(token === undefined ? 'velocity serve: no --token-file: serving loopback clients only, without credentials\n' : 'velocity serve: clients authenticate with HTTP basic auth, the token as password (TF_HTTP_PASSWORD)\n');
      io.stderr(`velocity serve: listening on ${server.url} (data: ${db.where})\n`);
      if (signal === undefined) return 0;
      await new Promise<void>((ok) => {
        if (signal.aborted) ok();
        else signal.addEventListener('abort', () => ok(), { once: true });
      });
    } finally {
      await server.close();
    }
  } finally {
    await db.close();
  }
  const first = io.interrupts?.first;
  if (first !== 'EPIPE') io.stderr('velocity serve: stopped\n');
  return first === undefined ? 0 : InterruptSource.exitCode(first);
};
