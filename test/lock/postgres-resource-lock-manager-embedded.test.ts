// With no DATABASE_URL, PostgresResourceLockManager starts an embedded server on demand in its data directory,
// keeps the lock rows there across restarts (locks held by one command outlive it), and stops it on close().
import { describe, it, expect } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresResourceLockManager } from '../../src/lock/postgres-resource-lock-manager.js';
import { newLockInfo } from '../../src/lock/lock-info.js';

describe('PostgresResourceLockManager embedded default', () => {
  it('starts a server on demand, keeps locks across restarts, and stops it on close', async () => {
    const root = await mkdtemp(join(tmpdir(), 'velocity-embedded-'));
    const dataDir = join(root, 'pg');
    try {
      const first = await PostgresResourceLockManager.open({ connectionString: '', embeddedDataDir: dataDir });
      const info = newLockInfo({ operation: 'embedded' });
      const h = await first.lockResources(['terraform_data.a'], info);
      await first.close();
      // A new "command": the server starts again from the same directory and still has the lock.
      const second = await PostgresResourceLockManager.open({ connectionString: '', embeddedDataDir: dataDir });
      const err = await second.lockResources(['terraform_data.a'], newLockInfo()).catch((e: unknown) => e);
      expect((err as { code: string; holder: { ID: string } }).holder.ID).toBe(h.id);
      await second.forceUnlock(h.id);
      expect(await second.locks()).toEqual([]);
      await second.close();
      const closed = await second.locks().catch((e: unknown) => e);
      expect((closed as { code: string }).code).toMatch(/^LOCK_BACKEND_/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
