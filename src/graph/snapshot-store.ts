// Where snapshots live: `<dir>/snapshots/<sha256 of the state>.vsnap`, plus `<dir>/paths/<hash of the path>.json`
// remembering, per state path, the size/mtime/inode last seen and the content hash it had. Writes are atomic
// (temp file + rename), so a crash leaves the old entry or the new one, never half of one. A write that fails (a
// read-only or missing cache directory) is reported once as a skipped cache (cache-warnings) before it is thrown.

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { warnCacheSkipped } from '../cache-warnings.js';

/** What the store remembers about a state path. */
export interface PathEntry {
  readonly path: string;
  readonly size: number;
  /** mtime in nanoseconds, as a decimal string (bigint stat). */
  readonly mtimeNs: string;
  readonly ino: string;
  readonly stateSha256: string;
}

/**
 * The cache directory: `override`, else $VELOCITY_CACHE_DIR, else $XDG_CACHE_HOME/velocity, else
 * ~/.cache/velocity, else `.velocity-cache` beside the state when there is no home directory.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv, statePath: string, override?: string): string {
  if (override) return override;
  if (env['VELOCITY_CACHE_DIR']) return env['VELOCITY_CACHE_DIR'];
  if (env['XDG_CACHE_HOME']) return join(env['XDG_CACHE_HOME'], 'velocity');
  let home = '';
  try {
    home = homedir();
  } catch {
    home = '';
  }
  return home ? join(home, '.cache', 'velocity') : join(dirname(statePath), '.velocity-cache');
}

async function writeAtomic(path: string, data: Uint8Array | readonly Uint8Array[] | string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    warnCacheSkipped('snapshot cache', path, error);
    throw error;
  }
}

export class SnapshotStore {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }

  snapshotPath(stateSha256: string): string {
    return join(this.dir, 'snapshots', `${stateSha256}.vsnap`);
  }

  private pathEntryFile(statePath: string): string {
    return join(this.dir, 'paths', `${createHash('sha256').update(statePath).digest('hex').slice(0, 32)}.json`);
  }

  /** The entry for `statePath`, or undefined when absent or unreadable. */
  async readPathEntry(statePath: string): Promise<PathEntry | undefined> {
    try {
      const e = JSON.parse(await readFile(this.pathEntryFile(statePath), 'utf8')) as Partial<PathEntry>;
      if (e.path !== statePath || typeof e.size !== 'number' || typeof e.mtimeNs !== 'string' || typeof e.ino !== 'string' || typeof e.stateSha256 !== 'string') return undefined;
      return e as PathEntry;
    } catch {
      return undefined;
    }
  }

  async writePathEntry(entry: PathEntry): Promise<void> {
    await writeAtomic(this.pathEntryFile(entry.path), `${JSON.stringify(entry)}\n`);
  }

  /** The snapshot bytes for a content hash, or undefined when there is none. */
  async readSnapshot(stateSha256: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.snapshotPath(stateSha256));
    } catch {
      return undefined;
    }
  }

  /** Writes a snapshot given whole or as consecutive pieces (written in order, never joined in memory). */
  async writeSnapshot(stateSha256: string, bytes: Uint8Array | readonly Uint8Array[]): Promise<void> {
    await writeAtomic(this.snapshotPath(stateSha256), bytes);
  }

  async removeSnapshot(stateSha256: string): Promise<void> {
    await rm(this.snapshotPath(stateSha256), { force: true });
  }
}
