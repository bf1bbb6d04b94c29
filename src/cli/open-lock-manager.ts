// The lock-backend flags shared by `velocity lock`, `unlock` and `locks`, and the one place that turns them into a
// ResourceLockManager. `memory` is one per process (so in-process callers share it); `postgres` uses DATABASE_URL
// or the shared embedded server; `http` and `local` speak Terraform's own backend locks. Guarantees: a flag with a
// bad value, or one the chosen backend does not use, is a UsageError (exit 2) naming it, before anything is opened.

import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { ResourceLockManager } from '../lock/resource-lock-manager.js';
import type { CliIo } from './cli-io.js';
import { parseDuration } from './parse-duration.js';

/** parseArgs options every lock command accepts. */
export const lockBackendOptions = {
  'lock-backend': { type: 'string' },
  'database-url': { type: 'string' },
  namespace: { type: 'string' },
  schema: { type: 'string' },
  lease: { type: 'string' },
  state: { type: 'string' },
  'http-address': { type: 'string' },
  'http-lock-address': { type: 'string' },
  'http-unlock-address': { type: 'string' },
  'http-lock-method': { type: 'string' },
  'http-unlock-method': { type: 'string' },
} as const;

export const LOCK_BACKEND_USAGE =
  '  --lock-backend memory|postgres|http|local   (default: postgres)\n' +
  '  postgres: --database-url URL (default $DATABASE_URL, else a shared embedded server in ~/.velocity/postgres) [--schema S] [--namespace NS] [--lease 15m]\n' +
  '  http:     --http-address URL [--http-lock-address URL] [--http-unlock-address URL] [--http-lock-method LOCK] [--http-unlock-method UNLOCK]\n' +
  '  local:    --state FILE (the terraform.tfstate whose lock to take)';

export type LockBackendValues = { readonly [K in keyof typeof lockBackendOptions]?: string };

type Backend = 'memory' | 'postgres' | 'http' | 'local';
type Flag = keyof typeof lockBackendOptions;

/** The flags each backend reads (`--state` is read by every lock command, and is the state file of `local`). */
const FLAGS: Readonly<Record<Backend, readonly Flag[]>> = {
  memory: [],
  postgres: ['database-url', 'namespace', 'schema', 'lease'],
  http: ['http-address', 'http-lock-address', 'http-unlock-address', 'http-lock-method', 'http-unlock-method'],
  local: [],
};

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const HTTP_METHOD = /^[A-Za-z]+$/;

function checkUrl(value: string, flag: string, protocols: readonly string[], usage: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !protocols.includes(url.protocol)) {
    throw new UsageError(`${flag} must be a ${protocols.map((p) => `${p}//`).join(' or ')} URL, not ${JSON.stringify(value)}\n${usage}`);
  }
}

/** Checks every lock flag's value against the chosen backend. Pure: O(flags). @throws UsageError */
function checkLockBackendValues(values: LockBackendValues, usage: string): Backend {
  const backend = values['lock-backend'] ?? 'postgres';
  if (backend !== 'memory' && backend !== 'postgres' && backend !== 'http' && backend !== 'local') {
    throw new UsageError(`--lock-backend must be memory, postgres, http or local, not ${JSON.stringify(backend)}\n${usage}`);
  }
  const stray = (Object.keys(lockBackendOptions) as Flag[]).filter((f) => f !== 'lock-backend' && f !== 'state' && values[f] !== undefined && !FLAGS[backend].includes(f));
  if (stray.length > 0) throw new UsageError(`${stray.map((f) => `--${f}`).join(', ')} ${stray.length === 1 ? 'does' : 'do'} not apply to --lock-backend ${backend}\n${usage}`);
  if (values.schema !== undefined && !SCHEMA_NAME.test(values.schema)) {
    throw new UsageError(`--schema must be a lower-case SQL name (${SCHEMA_NAME.source}), not ${JSON.stringify(values.schema)}\n${usage}`);
  }
  if (values.namespace !== undefined && values.namespace.trim() === '') throw new UsageError(`--namespace must not be empty\n${usage}`);
  if (values['database-url'] !== undefined) checkUrl(values['database-url'], '--database-url', ['postgres:', 'postgresql:'], usage);
  for (const f of ['http-address', 'http-lock-address', 'http-unlock-address'] as const) {
    const v = values[f];
    if (v !== undefined) checkUrl(v, `--${f}`, ['http:', 'https:'], usage);
  }
  for (const f of ['http-lock-method', 'http-unlock-method'] as const) {
    const v = values[f];
    if (v !== undefined && !HTTP_METHOD.test(v)) throw new UsageError(`--${f} must be an HTTP method such as LOCK, not ${JSON.stringify(v)}\n${usage}`);
  }
  if (backend === 'http' && !values['http-address']) throw new UsageError(`--lock-backend http needs --http-address URL\n${usage}`);
  if (backend === 'local' && (!values.state || values.state === '-')) throw new UsageError(`--lock-backend local needs --state FILE (the state file to lock)\n${usage}`);
  return backend;
}

let memory: ResourceLockManager | undefined;

/** Opens the manager the flags name. Backends whose locks end with the process say so in `processBound`. */
export async function openLockManager(values: LockBackendValues, io: CliIo, usage: string): Promise<{ manager: ResourceLockManager; backend: string; processBound: boolean }> {
  const backend = checkLockBackendValues(values, usage);
  const leaseMs = values.lease === undefined ? 15 * 60_000 : parseDuration(values.lease, '--lease', { minMs: 1 });
  switch (backend) {
    case 'memory': {
      const { MemoryResourceLockManager } = await import('../lock/memory-resource-lock-manager.js');
      // One per process, shared by every command run in it (its close() releases nothing).
      memory ??= new MemoryResourceLockManager();
      return { manager: memory, backend, processBound: true };
    }
    case 'postgres': {
      const { PostgresResourceLockManager } = await import('../lock/postgres-resource-lock-manager.js');
      const connectionString = values['database-url'] ?? io.env['DATABASE_URL'];
      const manager = await PostgresResourceLockManager.open({
        // NOTE: '' (not undefined) so the manager does not fall back to the process environment behind io.env.
        connectionString: connectionString ?? '',
        embeddedDataDir: join(io.env['HOME'] || homedir(), '.velocity', 'postgres'),
        ...(values.schema ? { schema: values.schema } : {}),
        ...(values.namespace ? { namespace: values.namespace } : {}),
        leaseMs,
        maxConnections: 2,
      });
      return { manager, backend, processBound: false };
    }
    case 'http': {
      const { GlobalFallbackLockManager } = await import('../lock/global-fallback-lock-manager.js');
      const { HttpLockAdapter } = await import('../lock/http-lock-adapter.js');
      const adapter = new HttpLockAdapter({
        address: values['http-address'] as string,
        ...(values['http-lock-address'] ? { lockAddress: values['http-lock-address'] } : {}),
        ...(values['http-unlock-address'] ? { unlockAddress: values['http-unlock-address'] } : {}),
        ...(values['http-lock-method'] ? { lockMethod: values['http-lock-method'] } : {}),
        ...(values['http-unlock-method'] ? { unlockMethod: values['http-unlock-method'] } : {}),
      });
      return { manager: new GlobalFallbackLockManager(adapter), backend, processBound: false };
    }
    case 'local': {
      const { GlobalFallbackLockManager } = await import('../lock/global-fallback-lock-manager.js');
      const { LocalFileLockAdapter } = await import('../lock/local-file-lock-adapter.js');
      return { manager: new GlobalFallbackLockManager(new LocalFileLockAdapter(resolve(io.cwd, values.state as string))), backend, processBound: true };
    }
  }
}
