// Stops the embedded PostgreSQL server serving a cluster directory, whoever started it (fast shutdown: SIGINT, then
// SIGQUIT if it lingers). Guarantees: returns once no server serves the directory; a directory nobody serves is a no-op.

import { LockBackendError } from './lock-errors.js';
import { embeddedPostgresStatus } from './embedded-postgres-status.js';
import { embeddedPostgresLayout, type EmbeddedPostgresLayoutOptions } from './embedded-postgres-layout.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/**
 * Stops the server of `dataDir` (resolved as startEmbeddedPostgres resolves it). Returns whether one was running.
 * Bounded: ~`timeoutMs` (default 30 s) plus a forced stop.
 */
export async function stopEmbeddedPostgres(dataDir: string, options: EmbeddedPostgresLayoutOptions & { readonly timeoutMs?: number } = {}): Promise<boolean> {
  const { dataDir: dir } = await embeddedPostgresLayout(dataDir, options);
  const first = await embeddedPostgresStatus(dir);
  if (first.state === 'stopped' || first.state === 'foreign') return false;
  signal(first.pid, 'SIGINT');
  let end = Date.now() + (options.timeoutMs ?? 30_000);
  let forced = false;
  for (;;) {
    const s = await embeddedPostgresStatus(dir);
    if (s.state === 'stopped' || s.state === 'foreign') return true;
    if (Date.now() > end) {
      if (forced) throw new LockBackendError('embedded postgres', `the server (pid ${s.pid}) of ${dir} does not stop`);
      signal(s.pid, 'SIGQUIT');
      forced = true;
      end = Date.now() + 5000;
    }
    await sleep(25);
  }
}
