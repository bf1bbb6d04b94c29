// Before an inject-mode apply runs: checks that the real state is still at the serial and lineage the sub-workspace
// was cut from, and for a plain local state takes Terraform's lock on it until the merge is written, so a concurrent
// `terraform apply` fails on the lock instead of applying between velocity's plan and merge.
// On a velocity server: the subgraph write's checks under the caller's resource lock (nothing is written).
// Guarantees: a state that moved raises STATE_MOVED before anything is applied; the lease is released by the caller.

import type { SubStateOwnership } from '../inject/sub-workspace-manifest.js';
import type { LocalFileLease } from '../lock/local-file-lock-adapter.js';
import { readStateHead } from '../state/read-state-head.js';
import { StateMovedError } from './apply-errors.js';
import { lockLocalState, type StateTarget } from './commit-sub-state.js';
import { currentStateHead } from './state-target.js';
import { writeSubgraph } from './write-subgraph.js';

/**
 * The lease on a local state (undefined for other backends or `-lock=false`), after checking `expected`. Cost: one
 * fcntl lock and a 64 KiB read (local), or a `state pull` stopped after 64 KiB; a velocity target: the subgraph
 * write's checks (check_only) for the slice `subgraph` names, under the caller's resource lock.
 * @throws StateMovedError, LockConflictError; velocity: SubgraphNotHeldError, SubgraphWriteError, ServeClientError
 */
export async function holdRealState(
  target: StateTarget, expected: { readonly serial: number; readonly lineage: string }, signal?: AbortSignal,
  subgraph?: { readonly subState: string; readonly owned: SubStateOwnership },
): Promise<LocalFileLease | undefined> {
  if (target.kind === 'velocity') {
    if (subgraph === undefined) throw new TypeError('holdRealState: a velocity target needs the slice to check');
    await writeSubgraph({ ...target, ...subgraph, expected, checkOnly: true, ...(signal ? { signal } : {}) });
    return undefined;
  }
  const lease = target.kind === 'local' && target.lock ? await lockLocalState(target.path, { lockTimeoutMs: target.lockTimeoutMs, ...(signal ? { signal } : {}) }) : undefined;
  try {
    // NOTE: through the lease's own descriptor: closing another descriptor of the file would drop the fcntl lock.
    const head = lease !== undefined ? readStateHead({ fd: lease.fd }) : await currentStateHead(target, signal);
    if (head === undefined || head.serial !== expected.serial || head.lineage !== expected.lineage)
      throw new StateMovedError({ expectedSerial: expected.serial, foundSerial: head?.serial ?? 0, expectedLineage: expected.lineage, foundLineage: head?.lineage ?? '(no state)' });
    return lease;
  } catch (error) {
    await lease?.release();
    throw error;
  }
}
