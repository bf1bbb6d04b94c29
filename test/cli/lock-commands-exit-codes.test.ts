// The real `velocity` executable (node bin/velocity.js over dist/, so run `npm run build` first) on the DEFAULT
// backend (no DATABASE_URL: the shared embedded server), as a script doing `velocity lock X && apply` sees it:
// every failure exits non-zero (1 user error, 2 usage error) with stdout empty, and the success paths exit 0.
import { describe, it, expect, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runVelocityBin, type BinRun } from '../support/built-package.js';
import { repoRoot } from '../support/paths.js';
import { embeddedPostgresLayout } from '../../src/lock/embedded-postgres-layout.js';
import { stopEmbeddedPostgres } from '../../src/lock/stop-embedded-postgres.js';

/** The built bin with no DATABASE_URL: the default embedded backend, its cluster under this HOME. */
function velocity(args: readonly string[], home: string): Promise<BinRun> {
  return runVelocityBin(args, { cwd: repoRoot, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home } });
}

const homes: string[] = [];
async function newHome(mode: number): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'velocity-home-'));
  await chmod(home, mode);
  homes.push(home);
  return home;
}

afterAll(async () => {
  for (const home of homes) {
    const dataDir = join(home, '.velocity', 'postgres');
    await stopEmbeddedPostgres(dataDir);
    const { dataDir: served } = await embeddedPostgresLayout(dataDir);
    for (const p of [home, served, `${served}.lock`, `${served}.log`]) await rm(p, { recursive: true, force: true });
  }
});

describe('velocity lock/unlock/locks exit codes (real bin, default embedded backend)', () => {
  it('exits 0 on success and non-zero on every failure', async () => {
    const home = await newHome(0o700); // a 0700 home, as root in a container
    const first = await velocity(['lock', 'e.one', '--json'], home);
    expect(first.code, first.stderr).toBe(0);
    const { id } = JSON.parse(first.stdout) as { id: string };

    const conflict = await velocity(['lock', 'e.one', '--json'], home);
    expect([conflict.code, conflict.stdout]).toEqual([1, '']);
    expect(conflict.stderr).toContain('error[LOCK_CONFLICT]');

    const bad = await velocity(['lock', 'not an address'], home);
    expect([bad.code, bad.stdout]).toEqual([1, '']);
    expect(bad.stderr).toContain('error[LOCK_BAD_RESOURCE]');

    const unknown = await velocity(['unlock', randomUUID()], home);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('error[LOCK_NOT_HELD]');

    const lease = await velocity(['lock', 'e.two', '--lease', '0'], home);
    expect([lease.code, lease.stdout]).toEqual([2, '']);

    const listed = await velocity(['locks', '--json'], home);
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((l) => l.id)).toEqual([id]);

    const unlocked = await velocity(['unlock', id], home);
    expect(unlocked.code, unlocked.stderr).toBe(0);
    const empty = await velocity(['locks'], home);
    expect([empty.code, empty.stdout]).toEqual([0, 'no locks held\n']);
  });

  it('an embedded backend that cannot start → LOCK_BACKEND_UNAVAILABLE, exit 1, for lock and locks', async () => {
    const home = await newHome(0o755);
    // Something that is not a cluster where the cluster should be.
    await mkdir(join(home, '.velocity', 'postgres'), { recursive: true });
    await writeFile(join(home, '.velocity', 'postgres', 'notes.txt'), 'not a cluster\n');
    for (const args of [['lock', 'e.one'], ['locks']]) {
      const r = await velocity(args, home);
      expect([r.code, r.stdout]).toEqual([1, '']);
      expect(r.stderr).toContain('error[LOCK_BACKEND_UNAVAILABLE]');
    }
  });
});
