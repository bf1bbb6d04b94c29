// Test support: a scratch --data-dir for `velocity serve` on its own embedded PostgreSQL, reachable by the server
// user when tests run as root; cleanup() stops whatever server still holds it and removes it.
import { mkdtempSync, rmSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopEmbeddedPostgres } from '../../../src/lock/stop-embedded-postgres.js';

export interface EmbeddedDataDir {
  /** The cluster directory to pass as --data-dir (not created yet). */
  readonly dataDir: string;
  cleanup(): Promise<void>;
}

/** A fresh directory under the system temp dir. O(1). */
export async function embeddedDataDir(prefix: string): Promise<EmbeddedDataDir> {
  const root = mkdtempSync(join(tmpdir(), prefix));
  // As root the server runs as `postgres`, which must reach the cluster directory.
  await chmod(root, 0o755);
  const dataDir = join(root, 'server');
  return {
    dataDir,
    cleanup: async () => {
      await stopEmbeddedPostgres(dataDir).catch(() => false);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
