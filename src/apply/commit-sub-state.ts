// Commits an applied sub-workspace state into the real state, compare-and-swap on the real state's serial and
// lineage: a local state is rewritten atomically under Terraform's own lock (temp file, fsync, backup, rename); any
// other backend gets the merged state through `<bin> state push` (which takes the backend's lock).
// Guarantees: when the real state moved nothing is written (StateMovedError); the real state is always either the old
// bytes or the complete merged state, even if the process is killed; the sub-state file is never deleted.

import { randomUUID } from 'node:crypto';
import { chmodSync, closeSync, fstatSync, fsyncSync, ftruncateSync, linkSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { SourceReadError } from '../errors.js';
import { mergeSubState, type MergeSummary } from '../inject/merge-sub-state.js';
import type { SubStateOwnership } from '../inject/sub-workspace-manifest.js';
import { acquireWithRetry } from '../lock/acquire-with-retry.js';
import { LockConflictError, LockTimeoutError } from '../lock/lock-errors.js';
import { newLockInfo } from '../lock/lock-info.js';
import { LocalFileLockAdapter, type LocalFileLease } from '../lock/local-file-lock-adapter.js';
import { readStateHead, type StateHead } from '../state/read-state-head.js';
import { pullState } from '../tf/pull-state.js';
import { runBinary } from '../tf/run-binary.js';
import { BinaryExitError } from '../tf/tf-errors.js';
import type { VelocityBackend } from '../serve/detect-velocity-backend.js';
import { StateMovedError, StatePushError } from './apply-errors.js';
import { writeSubgraph, type SubgraphWritten } from './write-subgraph.js';

export type StateTarget =
  | {
      readonly kind: 'local'; readonly path: string; readonly lock: boolean; readonly lockTimeoutMs: number;
      /** Terraform's lock of `path`, already held by the caller (lockLocalState): used, not released. */
      readonly lease?: LocalFileLease;
    }
  | { readonly kind: 'push'; readonly binary: string; readonly globalArgs: readonly string[]; readonly cwd: string; readonly env: NodeJS.ProcessEnv }
  | {
      /** A velocity server: a subgraph write under the resource lock `lockId`; `read`: the plan's out-of-cone addresses. */
      readonly kind: 'velocity'; readonly backend: VelocityBackend; readonly lockId: string; readonly read: readonly string[];
    };

/**
 * `serial`: the real state's serial now (local: plan serial + 1; push: plan serial + 2, see commitPush; velocity: the
 * server's). A velocity write reports the server's `rows` instead of a merge summary.
 */
export type CommitResult =
  | { readonly kind: 'written'; readonly serial: number; readonly summary: MergeSummary }
  | { readonly kind: 'written'; readonly serial: number; readonly rows: SubgraphWritten }
  | { readonly kind: 'unchanged' };

export interface CommitOptions {
  readonly target: StateTarget;
  /** The real state's serial and lineage at plan time. */
  readonly expected: { readonly serial: number; readonly lineage: string };
  /** `<sub>/terraform.tfstate` after the binary's apply (possibly partial). Never deleted. */
  readonly subState: string;
  /** The serial the slice was written with: a sub-state still at it was not written by the apply ('unchanged'). */
  readonly sliceSerial: number;
  readonly owned: SubStateOwnership;
  /** Scratch directory for the pulled and merged states of a push target. */
  readonly tmpDir: string;
  readonly signal?: AbortSignal;
}

function compareAndSwap(found: StateHead, expected: CommitOptions['expected'], subState: string): void {
  if (found.serial !== expected.serial || found.lineage !== expected.lineage) {
    throw new StateMovedError({ expectedSerial: expected.serial, foundSerial: found.serial, expectedLineage: expected.lineage, foundLineage: found.lineage, subStatePath: subState });
  }
}

const tempName = (dir: string, base: string): string => join(dir, `.${base}.velocity-${process.pid}-${randomUUID().slice(0, 8)}.tmp`);

/** Removes the temp files a killed commit of `base` left in `dir`. Only under the lock: nobody else writes them then. */
function removeStaleTemps(dir: string, base: string): void {
  const prefixes = [`.${base}.velocity-`, `.${base}.backup.velocity-`];
  for (const name of readdirSync(dir)) {
    if (name.endsWith('.tmp') && prefixes.some((p) => name.startsWith(p))) rmSync(join(dir, name), { force: true });
  }
}

/** Copies the bytes behind `fd` (read positionally: it may hold the lock) to a new file `to`. O(state). */
function copyFromFd(fd: number, to: string): void {
  const out = openSync(to, 'wx', 0o644);
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let pos = 0; ; ) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      for (let w = 0; w < n; ) w += writeSync(out, buf, w, n - w);
      pos += n;
    }
    fsyncSync(out);
  } finally {
    closeSync(out);
  }
}

/**
 * Overwrites the replaced (now unlinked) state file, still locked through `fd`, with text that is not a state.
 * NOTE: a `terraform apply -lock-timeout=...` that opened the state file before the rename waits on the lock of this
 * old file, not the new one: once the lock is released it would read the old state through its descriptor and write
 * its result into this unlinked file, silently lost. Reading this text instead, it fails with "Failed to load state".
 */
function retireOldState(fd: number, serial: number): void {
  const text = Buffer.from(`velocity: this state file was replaced by a merged state (serial ${serial}); read terraform.tfstate again\n`);
  ftruncateSync(fd, 0);
  for (let w = 0; w < text.length; ) w += writeSync(fd, text, w, text.length - w, w);
  fsyncSync(fd);
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Takes Terraform's local lock on `path`, on the file currently at `path` (not one renamed away meanwhile). */
async function lockLocal(path: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<LocalFileLease> {
  const adapter = new LocalFileLockAdapter(path);
  // NOTE: a bounded number of attempts: another writer may rename a new state over `path` between our open and
  // our fcntl lock; the lock then sits on the old file, which nobody reads any more. Retake it on the new one.
  for (let attempt = 0; ; attempt++) {
    const info = newLockInfo({ operation: 'OperationTypeApply', info: 'velocity: merging a sub-workspace state', path: adapter.path });
    let lease: LocalFileLease;
    try {
      lease = await acquireWithRetry(() => adapter.tryAcquire(info), { waitMs: timeoutMs, ...(signal ? { signal } : {}) });
    } catch (error) {
      // The holder is what a user needs; a timeout is a conflict that lasted (Terraform's "Error acquiring the state lock").
      if (error instanceof LockTimeoutError) throw error.lastConflict;
      throw error;
    }
    let current: number | undefined;
    try {
      current = statSync(path).ino;
    } catch {
      current = undefined;
    }
    if (current === fstatSync(lease.fd).ino) return lease;
    await lease.release();
    if (attempt >= 4) throw new LockConflictError({ ...info, Info: 'the state file kept being replaced while velocity locked it' }, []);
  }
}

/**
 * Takes Terraform's lock of a local state file (waiting up to `lockTimeoutMs`), so nothing else writes it until the
 * caller releases the lease: an apply holds it from before the binary runs until its merge is written.
 * @throws LockConflictError with the holder's LockInfo
 */
export function lockLocalState(path: string, options: { readonly lockTimeoutMs: number; readonly signal?: AbortSignal }): Promise<LocalFileLease> {
  return lockLocal(resolve(path), options.lockTimeoutMs, options.signal);
}

/** Local target: lock, CAS, merge to a temp file, backup, rename. O(state) time, O(entry + chunk) memory. */
async function commitLocal(target: Extract<StateTarget, { kind: 'local' }>, o: CommitOptions): Promise<CommitResult> {
  const path = resolve(target.path);
  try {
    statSync(path);
  } catch (error) {
    // The lock would create an empty state file; there is no state to merge into.
    throw new SourceReadError(path, error);
  }
  let fd: number;
  let release: () => Promise<void>;
  if (target.lease !== undefined) {
    fd = target.lease.fd;
    release = async () => {};
  } else if (target.lock) {
    const lease = await lockLocal(path, target.lockTimeoutMs, o.signal);
    fd = lease.fd;
    release = () => lease.release();
  } else {
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      throw new SourceReadError(path, error);
    }
    const own = fd;
    release = async () => closeSync(own);
  }
  const locked = target.lease !== undefined || target.lock;
  const dir = dirname(path);
  const tmp = tempName(dir, basename(path));
  const backup = `${path}.backup`;
  const backupTmp = tempName(dir, basename(backup));
  try {
    // NOTE: every read of the locked state goes through `fd`: closing any other descriptor of it drops the lock.
    compareAndSwap(readStateHead({ fd }), o.expected, o.subState);
    if (locked) removeStaleTemps(dir, basename(path));
    const serial = o.expected.serial + 1;
    const summary = await mergeSubState({ real: { fd }, sub: o.subState, owned: o.owned, serial, out: tmp });
    // The merged state keeps the state file's permissions (it may hold secrets: 0600).
    chmodSync(tmp, fstatSync(fd).mode & 0o777);
    // The previous state becomes terraform.tfstate.backup, as Terraform keeps it, renamed into place so an existing
    // backup is replaced atomically. Under the lock it is a copy read through `fd`, since the old file is retired
    // below; without the lock, a hard link (no copy).
    if (locked) copyFromFd(fd, backupTmp);
    else {
      try {
        linkSync(path, backupTmp);
      } catch {
        copyFromFd(fd, backupTmp);
      }
    }
    renameSync(backupTmp, backup);
    renameSync(tmp, path);
    fsyncDir(dir);
    if (locked) retireOldState(fd, serial);
    return { kind: 'written', serial, summary };
  } catch (error) {
    rmSync(tmp, { force: true });
    rmSync(backupTmp, { force: true });
    throw error;
  } finally {
    await release();
  }
}

/** Push target: `state pull`, CAS, merge, `state push`. O(state) time; memory O(entry + chunk). */
async function commitPush(target: Extract<StateTarget, { kind: 'push' }>, o: CommitOptions): Promise<CommitResult> {
  const tmpDir = resolve(o.tmpDir);
  await mkdir(tmpDir, { recursive: true });
  const pulledPath = join(tmpDir, 'pulled.tfstate');
  const mergedPath = join(tmpDir, 'merged.tfstate');
  const pulled = pullState(target.binary, target.globalArgs, { cwd: target.cwd, env: target.env, ...(o.signal ? { signal: o.signal } : {}) });
  const file = await open(pulledPath, 'w');
  try {
    for await (const chunk of pulled.chunks) await file.write(chunk);
  } finally {
    await file.close();
  }
  const { exitCode, stderr } = await pulled.exited;
  if (exitCode !== 0) throw new BinaryExitError([target.binary, ...target.globalArgs, 'state', 'pull'], { exitCode, signal: null, stdout: '', stderr });
  compareAndSwap(readStateHead({ path: pulledPath }), o.expected, o.subState);
  const serial = o.expected.serial + 1;
  const summary = await mergeSubState({ real: { path: pulledPath }, sub: o.subState, owned: o.owned, serial, out: mergedPath });
  // NOTE: `state push` takes the backend's lock and refuses another lineage or an older serial itself, so a writer
  // that slipped in between the pull and the push is not overwritten silently.
  const pushed = await runBinary(target.binary, [...target.globalArgs, 'state', 'push', mergedPath], { cwd: target.cwd, env: target.env, ...(o.signal ? { signal: o.signal } : {}) });
  if (pushed.exitCode !== 0) throw new StatePushError(pushed.exitCode, pushed.stderr || pushed.stdout, o.subState);
  // NOTE: the binary refuses to push a changed state at the backend's own serial, and bumps the serial of any state
  // it pushes once more (remote State.PersistState): the backend now holds serial + 1, plan serial + 2.
  return { kind: 'written', serial: serial + 1, summary };
}

/**
 * Merges `subState` into the real state of `target` if the real state is still at `expected`. O(real state) time,
 * memory O(largest owned entry + chunk). 'unchanged' (nothing read or written) when the apply did not write the
 * sub-state (it is still at `sliceSerial`).
 * @throws StateMovedError (nothing written), LockConflictError (a local lock held past `lockTimeoutMs`),
 *   StatePushError, SubgraphNotHeldError / SubgraphWriteError / ServeClientError (velocity), MergeConflictError, StateParseError, BinaryExitError (`state pull` failed). Never deletes `subState`.
 */
export async function commitSubState(o: CommitOptions): Promise<CommitResult> {
  if (readStateHead({ path: o.subState }).serial === o.sliceSerial) return { kind: 'unchanged' };
  const t = o.target;
  if (t.kind === 'velocity') {
    const rows = await writeSubgraph({ backend: t.backend, lockId: t.lockId, read: t.read, subState: o.subState, owned: o.owned, expected: o.expected, checkOnly: false, keptPath: o.subState, ...(o.signal ? { signal: o.signal } : {}) });
    return { kind: 'written', serial: rows.serial, rows };
  }
  return t.kind === 'local' ? commitLocal(t, o) : commitPush(t, o);
}
