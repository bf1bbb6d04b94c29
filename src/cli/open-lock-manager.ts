// The lock-backend flags shared by `velocity lock`, `unlock` and `locks`, and the one place that turns them into a
// ResourceLockManager. `memory` is one per process (so in-process callers share it); `postgres` uses DATABASE_URL
// or the embedded server; `http` and `local` speak Terraform's own backend locks.

import { resolve } from 'node:path';
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
  '  postgres: --database-url URL (default $DATABASE_URL, else an embedded server in ~/.velocity/postgres) [--schema S] [--namespace NS] [--lease 15m]\n' +
  '  http:     --http-address URL [--http-lock-address URL] [--http-unlock-address URL] [--http-lock-method LOCK] [--http-unlock-method UNLOCK]\n' +
  '  local:    --state FILE (the terraform.tfstate whose lock to take)';

export type LockBackendValues = { readonly [K in keyof typeof lockBackendOptions]?: string };

let memory: ResourceLockManager | undefined;

/** Opens the manager the flags name. Backends whose locks end with the process say so in `processBound`. */
export async function openLockManager(values: LockBackendValues, io: CliIo, usage: string): Promise<{ manager: ResourceLockManager; backend: string; processBound: boolean }> {
  const backend = values['lock-backend'] ?? 'postgres';
  switch (backend) {
    case 'memory': {
      const { MemoryResourceLockManager } = await import('../lock/memory-resource-lock-manager.js');
      // One per process, shared by every command run in it (its close() releases nothing).
      memory ??= new MemoryResourceLockManager();
      return { manager: memory, backend, processBound: true };
    }
    case 'postgres': {
      const { PostgresResourceLockManager } = await import('../lock/postgres-resource-lock-manager.js');
      const leaseMs = values.lease === undefined ? 15 * 60_000 : parseDuration(values.lease, '--lease');
      const connectionString = values['database-url'] ?? io.env['DATABASE_URL'];
      const manager = await PostgresResourceLockManager.open({
        ...(connectionString ? { connectionString } : {}),
        ...(values.schema ? { schema: values.schema } : {}),
        ...(values.namespace ? { namespace: values.namespace } : {}),
        leaseMs,
        maxConnections: 2,
      });
      return { manager, backend, processBound: false };
    }
    case 'http': {
      const address = values['http-address'];
      if (!address) throw new UsageError(`--lock-backend http needs --http-address URL\n${usage}`);
      const { GlobalFallbackLockManager } = await import('../lock/global-fallback-lock-manager.js');
      const { HttpLockAdapter } = await import('../lock/http-lock-adapter.js');
      const adapter = new HttpLockAdapter({
        address,
        ...(values['http-lock-address'] ? { lockAddress: values['http-lock-address'] } : {}),
        ...(values['http-unlock-address'] ? { unlockAddress: values['http-unlock-address'] } : {}),
        ...(values['http-lock-method'] ? { lockMethod: values['http-lock-method'] } : {}),
        ...(values['http-unlock-method'] ? { unlockMethod: values['http-unlock-method'] } : {}),
      });
      return { manager: new GlobalFallbackLockManager(adapter), backend, processBound: false };
    }
    case 'local': {
      if (!values.state || values.state === '-') throw new UsageError(`--lock-backend local needs --state FILE (the state file to lock)\n${usage}`);
      const { GlobalFallbackLockManager } = await import('../lock/global-fallback-lock-manager.js');
      const { LocalFileLockAdapter } = await import('../lock/local-file-lock-adapter.js');
      return { manager: new GlobalFallbackLockManager(new LocalFileLockAdapter(resolve(io.cwd, values.state))), backend, processBound: true };
    }
    default:
      throw new UsageError(`--lock-backend must be memory, postgres, http or local, not ${JSON.stringify(backend)}\n${usage}`);
  }
}
