// Merges an applied sub-workspace's state into its real workspace's state: the last step of an inject-mode apply,
// and `velocity merge DIR` for a run that died before it. Guarantees: compare-and-swap on the serial and lineage
// the sub-workspace was cut from (STATE_MOVED otherwise, nothing written); the sub-workspace is never deleted here.

import { join } from 'node:path';
import { readSubWorkspaceManifest, type SubWorkspaceManifest } from '../inject/sub-workspace-manifest.js';
import { commitSubState, type CommitResult } from './commit-sub-state.js';
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
}

/**
 * Merges `<dir>/terraform.tfstate` into the state of the workspace its manifest names. O(state) (the real state
 * is streamed once, the sub-state read whole).
 * @throws SubWorkspaceManifestError, StateMovedError, StatePushError, MergeConflictError, LockConflictError
 */
export async function mergeSubWorkspace(dir: string, options: MergeSubWorkspaceOptions): Promise<{ manifest: SubWorkspaceManifest; result: CommitResult }> {
  const manifest = readSubWorkspaceManifest(dir);
  const found = stateTargetOf(manifest.workingDir, options.env, { binary: options.binary, lock: options.lock ?? true, lockTimeoutMs: options.lockTimeoutMs ?? 0 });
  const target = found.kind === 'local' && options.lease !== undefined ? { ...found, lease: options.lease } : found;
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
