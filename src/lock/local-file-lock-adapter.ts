// Terraform's local-backend lock, the one Terraform takes (statemgr.Filesystem): a POSIX fcntl F_SETLK write lock on
// the whole state file, plus the JSON LockInfo in `.<state file name>.lock.info` beside it. So a `terraform apply`
// holding the lock makes velocity fail with Terraform's LockInfo, and the reverse. Unlike Terraform, the info file is
// written before the lock when none exists and removed after it: it is there whenever velocity holds the lock.
// NOTE: fcntl locks belong to the process and vanish when ANY descriptor of the file in this process is closed:
// velocity must not read the locked state file through another descriptor while holding the lock. Two velocity
// locks in one process are told apart by an in-process registry (fcntl cannot exclude its own process).

import { closeSync, constants, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { LockBackendError, LockConflictError, LockNotHeldError } from './lock-errors.js';
import { lockInfoFromJson, type LockInfo } from './lock-info.js';
import type { GlobalLease, GlobalLockAdapter } from './global-lock-adapter.js';

interface FsExt {
  fcntl(fd: number, cmd: 'setlk', type: number, callback: (error: NodeJS.ErrnoException | null) => void): void;
}

// Linux/macOS values of struct flock's l_type (fs-ext does not export them).
const F_WRLCK = process.platform === 'darwin' ? 3 : 1;
const F_UNLCK = process.platform === 'darwin' ? 2 : 2;

let fsExt: FsExt | undefined;

/** F_SETLK on the whole file (l_whence SEEK_SET, l_start 0, l_len 0: Terraform's range) with lock type `type`. */
function setlk(ext: FsExt, fd: number, type: number): Promise<void> {
  // NOTE: fs-ext's fcntlSync passes `type` where F_SETLK wants a struct flock pointer (EFAULT); its async form
  // builds the struct correctly. fcntl locks belong to the process, so the thread-pool thread does not matter.
  return new Promise((resolve, reject) => ext.fcntl(fd, 'setlk', type, (error) => (error ? reject(error) : resolve())));
}

/** Removes the info file at `infoPath` if it is lock `id`'s. Synchronous: read and remove with no gap between. */
function removeOwnInfo(infoPath: string, id: string): void {
  let onDisk: string | undefined;
  try {
    onDisk = readFileSync(infoPath, 'utf8');
  } catch {
    return;
  }
  if (infoId(onDisk) === id) rmSync(infoPath, { force: true });
}

function loadFsExt(): FsExt {
  if (!fsExt) {
    try {
      fsExt = createRequire(import.meta.url)('fs-ext') as FsExt;
    } catch (error) {
      throw new LockBackendError('local', 'the fs-ext native module (POSIX fcntl locks) is not built on this machine; reinstall velocity with a C++ toolchain', { cause: error });
    }
  }
  return fsExt;
}

/** A held local lock. `fd` is the descriptor holding the fcntl lock: read the locked state through it (positionally,
 * never closing it), since closing any other descriptor of that file would drop the lock. Valid until `release`. */
export interface LocalFileLease extends GlobalLease {
  readonly fd: number;
}

/** The ID in a lock info file's text, or undefined when it is not lock info JSON (a file Terraform is still writing). */
function infoId(text: string): string | undefined {
  try {
    return lockInfoFromJson(JSON.parse(text) as unknown).ID;
  } catch {
    return undefined;
  }
}

/** State files this process holds, by absolute path. */
const heldHere = new Map<string, LockInfo>();

/** `.terraform.tfstate.lock.info` for `terraform.tfstate`, as Terraform names it. */
function lockInfoPath(statePath: string): string {
  return join(dirname(statePath), `.${basename(statePath)}.lock.info`);
}

/** Terraform's local backend lock on one state file. */
export class LocalFileLockAdapter implements GlobalLockAdapter {
  readonly backend = 'local';
  readonly path: string;
  readonly #infoPath: string;

  /** @param statePath the state file Terraform writes (`terraform.tfstate`, or the workspace's state path) */
  constructor(statePath: string) {
    this.path = resolve(statePath);
    this.#infoPath = lockInfoPath(this.path);
  }

  async #readHolder(): Promise<LockInfo> {
    const text = await readFile(this.#infoPath, 'utf8').catch(() => undefined);
    if (text === undefined) return { ...lockInfoFromJson({}), Path: this.path, Info: 'locked, but the lock info file is missing' };
    try {
      return lockInfoFromJson(JSON.parse(text));
    } catch {
      return { ...lockInfoFromJson({}), Path: this.path, Info: 'locked, but the lock info file is unreadable' };
    }
  }

  async tryAcquire(info: LockInfo): Promise<LocalFileLease> {
    const ext = loadFsExt();
    const mine = heldHere.get(this.path);
    if (mine) throw new LockConflictError(mine, []);
    // Reserve in-process first, synchronously: the fcntl call below is asynchronous and cannot see this process.
    const stamped: LockInfo = { ...info, Path: this.path };
    heldHere.set(this.path, stamped);
    let fd: number;
    try {
      // Like Terraform: open read-write, creating an empty state file if there is none yet.
      fd = openSync(this.path, constants.O_RDWR | constants.O_CREAT, 0o666);
    } catch (error) {
      heldHere.delete(this.path);
      throw new LockBackendError('local', `cannot open ${this.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
    }
    // NOTE: Terraform gives up at once, whatever -lock-timeout says, when the lock is held and the info file is
    // missing or has no ID; and fs-ext's fcntl is asynchronous, so a thread-pool round trip separates taking the lock
    // from anything written after it. So when no info file exists (between holders, the usual case) ours is created
    // BEFORE the lock (O_EXCL: never over another's): whoever finds the lock held finds who holds it. A contender
    // following Terraform's protocol against a velocity lock loop found no info in 30% of its refusals without this.
    const text = JSON.stringify(stamped);
    let prewritten = false;
    try {
      writeFileSync(this.#infoPath, text, { mode: 0o600, flag: 'wx' });
      prewritten = true;
    } catch {
      // another holder's, or a leftover of a killed run: ours is written once the lock is ours, below
    }
    try {
      await setlk(ext, fd, F_WRLCK);
    } catch (error) {
      if (prewritten) removeOwnInfo(this.#infoPath, info.ID);
      heldHere.delete(this.path);
      closeSync(fd);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EACCES') throw new LockConflictError(await this.#readHolder(), [], { cause: error });
      throw new LockBackendError('local', `fcntl lock on ${this.path} failed: ${code ?? String(error)}`, { cause: error });
    }
    try {
      // NOTE: written in place, as Terraform writes it (a temp file would be left behind by a killed process). After
      // a commit renames a new state file into place another process may lock the new file and write this info
      // file while this one still releases the old one: every reader here tolerates half a file (infoId, #readHolder).
      // Synchronously: the gap after the lock is then as short as Terraform's own.
      if (!prewritten) writeFileSync(this.#infoPath, text, { mode: 0o600 });
    } catch (error) {
      heldHere.delete(this.path);
      await setlk(ext, fd, F_UNLCK).catch(() => {});
      closeSync(fd);
      throw new LockBackendError('local', `cannot write ${this.#infoPath}`, { cause: error });
    }
    let released = false;
    const release = async (): Promise<void> => {
      if (released) return;
      released = true;
      // NOTE: the fcntl lock is dropped FIRST, then the info file removed: the other order (Terraform's) leaves a
      // held lock with no info file in between, which Terraform fails on (see tryAcquire).
      try {
        await setlk(ext, fd, F_UNLCK);
      } finally {
        closeSync(fd);
        // The info file may already be another process's (see above): removed only when it is still ours.
        removeOwnInfo(this.#infoPath, info.ID);
        if (heldHere.get(this.path)?.ID === info.ID) heldHere.delete(this.path);
      }
    };
    forceReleasers.set(info.ID, release);
    return {
      expiresAt: undefined,
      fd,
      release: async () => {
        forceReleasers.delete(info.ID);
        await release();
      },
    };
  }

  async inspect(): Promise<LockInfo | undefined> {
    const mine = heldHere.get(this.path);
    if (mine) return mine;
    // Probe: if we can take the fcntl lock nobody holds it (a leftover info file of a crashed run means nothing).
    const ext = loadFsExt();
    let fd: number;
    try {
      fd = openSync(this.path, constants.O_RDWR);
    } catch {
      return undefined; // no state file: nothing can hold its lock
    }
    try {
      await setlk(ext, fd, F_WRLCK);
      await setlk(ext, fd, F_UNLCK);
      return undefined;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EACCES') return this.#readHolder();
      throw new LockBackendError('local', `fcntl probe on ${this.path} failed: ${code ?? String(error)}`, { cause: error });
    } finally {
      closeSync(fd);
    }
  }

  async forceRelease(id: string): Promise<void> {
    const release = forceReleasers.get(id);
    if (release && heldHere.get(this.path)?.ID === id) {
      forceReleasers.delete(id);
      await release();
      return;
    }
    const holder = await this.inspect();
    throw new LockNotHeldError(
      id,
      holder?.ID === id
        ? 'held by another process; a local-backend lock ends when its process exits'
        : 'no such lock is held on this state',
    );
  }

  async close(): Promise<void> {}
}

/** Release functions of locks taken in this process, by lock id (for forceRelease). */
const forceReleasers = new Map<string, () => Promise<void>>();
