// Merges an applied sub-workspace's state into its real workspace's state: the last step of an inject-mode apply,
// and `velocity merge DIR` for a run that died before it. Guarantees: compare-and-swap on the serial and lineage
// the sub-workspace was cut from (STATE_MOVED otherwise, nothing written); the sub-workspace is never deleted here.

import { closeSync, copyFileSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { mergeSubState } from '../inject/merge-sub-state.js';
import { readSubWorkspaceManifest, type SubWorkspaceManifest } from '../inject/sub-workspace-manifest.js';
import { readStateHead } from '../state/read-state-head.js';
import { pullState } from '../tf/pull-state.js';
import { commitSubState, type CommitResult, type StateTarget } from './commit-sub-state.js';
import type { VelocityBackend } from '../serve/detect-velocity-backend.js';
import { stateTargetOf } from './state-target.js';
import { restoreDependencies } from '../inject/restore-dependencies.js';
import type { LocalFileLease } from '../lock/local-file-lock-adapter.js';

export interface MergeSubWorkspaceOptions {
  /** The binary (`state pull`/`state push` for a backend that is not a plain local file). */
  readonly binary: string;
  readonly env: NodeJS.ProcessEnv;
  /** Take Terraform's lock of a local state (`-lock`). @default true */
  readonly lock?: boolean;
  /** `-lock-timeout` in ms. @default 0 */
  readonly lockTimeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Terraform's lock of the real local state, held by the caller (holdRealState): used, not released. */
  readonly lease?: LocalFileLease;
  /** The real state is on a velocity server and the caller holds resource lock `lockId` there: a subgraph write. */
  readonly velocity?: { readonly backend: VelocityBackend; readonly lockId: string };
}

/**
 * Merges `<dir>/terraform.tfstate` into the state of the workspace its manifest names. O(state) (the real state
 * is streamed once, the sub-state read whole); on a velocity server (`velocity`) one subgraph write, O(sub-state).
 * @throws SubWorkspaceManifestError, StateMovedError, StatePushError, MergeConflictError, LockConflictError
 */
export async function mergeSubWorkspace(dir: string, options: MergeSubWorkspaceOptions): Promise<{ manifest: SubWorkspaceManifest; result: CommitResult }> {
  const manifest = readSubWorkspaceManifest(dir);
  const found = stateTargetOf(manifest.workingDir, options.env, { binary: options.binary, lock: options.lock ?? true, lockTimeoutMs: options.lockTimeoutMs ?? 0 });
  const target: StateTarget =
    options.velocity !== undefined ? { kind: 'velocity', ...options.velocity, read: manifest.static ?? [] }
    : found.kind === 'local' && options.lease !== undefined ? { ...found, lease: options.lease } : found;
  // NOTE: the merge reads a copy with the dependencies Terraform could not record on literals; the sub-state itself
  // stays as the binary wrote it (a later `velocity merge` repeats this).
  const applied = join(dir, 'terraform.tfstate');
  const restored = join(dir, '.velocity-merge.tfstate');
  const subState = (await restoreDependencies(applied, restored, manifest.dependencies ?? {})) ? restored : applied;
  const result = await commitSubState({
    target,
    expected: { serial: manifest.serial, lineage: manifest.lineage },
    subState,
    sliceSerial: manifest.serial,
    owned: manifest,
    tmpDir: dir,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { manifest, result };
}

/** Whether two files hold the same bytes, read in 1 MiB chunks. O(size) time, O(1) memory. */
function sameBytes(a: string, b: string): boolean {
  const fa = openSync(a, 'r');
  const fb = openSync(b, 'r');
  try {
    const ba = Buffer.allocUnsafe(1 << 20);
    const bb = Buffer.allocUnsafe(1 << 20);
    for (let pos = 0; ; ) {
      const na = readSync(fa, ba, 0, ba.length, pos);
      const nb = readSync(fb, bb, 0, bb.length, pos);
      if (na !== nb || !ba.subarray(0, na).equals(bb.subarray(0, nb))) return false;
      if (na === 0) return true;
      pos += na;
    }
  } finally {
    closeSync(fa);
    closeSync(fb);
  }
}

/**
 * The serial of the real state when it already is this sub-workspace's merge (a merge that was written but whose
 * run died before removing DIR, e.g. a `state push` that landed after velocity was killed), else undefined: same
 * lineage, serial plan + 1 (local) or plan + 2 (push), and merging the sub-state into it once more changes no byte.
 * Reads a copy (local) or one `state pull`; never writes the real state. O(state) time, merge memory.
 */
export async function alreadyMerged(dir: string, options: MergeSubWorkspaceOptions): Promise<number | undefined> {
  const manifest = readSubWorkspaceManifest(dir);
  const target = stateTargetOf(manifest.workingDir, options.env, { binary: options.binary, lock: false, lockTimeoutMs: 0 });
  const tmp = mkdtempSync(join(dir, '.velocity-check-'));
  try {
    const current = join(tmp, 'current.tfstate');
    if (target.kind === 'local') copyFileSync(target.path, current);
    else {
      const pulled = pullState(target.binary, target.globalArgs, { cwd: target.cwd, env: target.env, ...(options.signal ? { signal: options.signal } : {}) });
      const file = await open(current, 'w');
      try {
        for await (const chunk of pulled.chunks) await file.write(chunk);
      } finally {
        await file.close();
      }
      if ((await pulled.exited).exitCode !== 0) return undefined;
    }
    const head = readStateHead({ path: current });
    if (head.lineage !== manifest.lineage || head.serial !== manifest.serial + (target.kind === 'local' ? 1 : 2)) return undefined;
    const restored = join(tmp, 'sub.tfstate');
    const applied = join(dir, 'terraform.tfstate');
    const sub = (await restoreDependencies(applied, restored, manifest.dependencies ?? {})) ? restored : applied;
    const again = join(tmp, 'again.tfstate');
    await mergeSubState({ real: { path: current }, sub, owned: manifest, serial: head.serial, out: again });
    return sameBytes(current, again) ? head.serial : undefined;
  } catch {
    return undefined; // whatever cannot be read or merged is not known to be merged
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
