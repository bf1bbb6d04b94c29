// `velocity merge DIR [--binary B] [-lock=false] [-lock-timeout=D]`: merges the state of a kept sub-workspace (an
// inject-mode apply that was interrupted, or whose merge was refused) into its real workspace's state.
// Guarantees: the same compare-and-swap as the apply's own merge (a real state that already is this merge is
// recognised and left alone); the directory is removed only after a merge, or when it was already done.

import { rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { subgraphBody } from '../apply/subgraph-body.js';
import { velocityLockSet } from '../apply/velocity-lock-set.js';
import { readSubWorkspaceManifest } from '../inject/sub-workspace-manifest.js';
import { newLockInfo } from '../lock/lock-info.js';
import { withServeLocks } from '../plan/with-serve-locks.js';
import { detectVelocityBackend } from '../serve/detect-velocity-backend.js';
import { StateMovedError } from '../apply/apply-errors.js';
import { alreadyMerged, mergeSubWorkspace, type MergeSubWorkspaceOptions } from '../apply/merge-sub-workspace.js';
import { PlanReporter } from '../plan/plan-reporter.js';
import { UsageError } from '../errors.js';
import { findBinary } from '../tf/find-binary.js';
import { splitPlanArgs } from '../tf/plan-args.js';
import type { Command } from './cli-io.js';

const USAGE = `usage: velocity merge DIR [--binary PATH] [-lock=false] [-lock-timeout=DURATION]

Merges the state of the sub-workspace DIR (printed by \`velocity apply\`) into the real workspace's state:
the resources and root outputs the sub-workspace owns are replaced, everything else is kept byte for byte,
serial + 1. Refused with error[STATE_MOVED] when the real state is no longer at the serial the
sub-workspace was cut from, unless the real state already is this merge (written by a run that died before
removing DIR): then nothing is written. DIR is removed after a merge that wrote the state, or was already done.
On a velocity server (\`velocity serve\`) the sub-workspace's addresses are locked there again and its state is
written as a subgraph (refused with error[STATE_MOVED] only when what it read or owns changed since its plan).
`;

/**
 * The merge, on a velocity server under its resource locks on the sub-workspace's lock set (re-taken: the run that
 * held them is gone), else as mergeSubWorkspace does it. O(sub-state) on a velocity server, else O(state).
 */
async function mergeOnBackend(dir: string, options: MergeSubWorkspaceOptions, say: (line: string) => void, flavor: string): ReturnType<typeof mergeSubWorkspace> {
  const manifest = readSubWorkspaceManifest(dir);
  const backend = options.lock === false ? undefined : await detectVelocityBackend(manifest.workingDir, options.env);
  if (backend === undefined) return mergeSubWorkspace(dir, options);
  // NOTE: what the apply created is owned too: its entries are locked with the rest.
  const owned = subgraphBody(join(dir, 'terraform.tfstate'), manifest, { lineage: manifest.lineage, baseSerial: manifest.serial, read: [], checkOnly: true }).owned;
  const addresses = velocityLockSet(manifest.refresh, owned, []);
  const info = newLockInfo({ operation: 'OperationTypeApply', info: 'velocity merge', path: `${backend.origin}/tfstate/${backend.guid}` });
  const reporter = new PlanReporter(say, flavor);
  return withServeLocks(backend, addresses, info, {
    waitMs: options.lockTimeoutMs ?? 0, ...(options.signal ? { signal: options.signal } : {}),
    onLocked: (count, lockId) => reporter.serverLocked(count, false, backend.origin, lockId),
  }, (lockId, signal) => mergeSubWorkspace(dir, { ...options, signal, velocity: { backend, lockId } }));
}

export const mergeCommand: Command = async (args, io) => {
  const { velocity, binary } = splitPlanArgs(args);
  if (velocity.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (binary.positionals.length !== 1) throw new UsageError(`merge takes one sub-workspace directory\n${USAGE}`);
  const dir = resolve(io.cwd, binary.positionals[0] as string);
  const found = findBinary({ ...(velocity.binary !== undefined ? { explicit: velocity.binary } : {}), env: io.env, cwd: io.cwd });
  const signal = io.interrupts?.take();
  const options: MergeSubWorkspaceOptions = { binary: found.path, env: io.env, lock: binary.lock, lockTimeoutMs: binary.lockTimeoutMs, ...(signal ? { signal } : {}) };
  let merged: Awaited<ReturnType<typeof mergeSubWorkspace>>;
  try {
    merged = await mergeOnBackend(dir, options, (line) => io.stdout(`${line}\n`), basename(found.path));
  } catch (error) {
    // NOTE: a merge that was written but whose run died before removing DIR (a push that landed after a kill -9)
    // finds the state "moved" by itself: recognised, it is done, not refused.
    const serial = error instanceof StateMovedError ? await alreadyMerged(dir, options) : undefined;
    if (serial === undefined) throw error;
    io.stdout(`Velocity: the real state already holds this sub-workspace's merge (serial ${serial}): nothing to write; ${dir} removed\n`);
    rmSync(dir, { recursive: true, force: true });
    return 0;
  }
  const { manifest, result } = merged;
  new PlanReporter((line) => io.stdout(`${line}\n`), basename(found.path)).merged(result, manifest.serial);
  // NOTE: a sub-workspace never applied may hold a saved plan still to apply: it is kept.
  if (result.kind === 'written') rmSync(dir, { recursive: true, force: true });
  return 0;
};
