// What an inject-mode run locks on a velocity server: every instance it may refresh, every entry it owns (a whole
// entry as its resource address, which covers the instances the apply creates; a keyed one as those instances), what
// it creates, and `output.NAME` for each owned root output. Guarantees: a subgraph write of the run's sub-state
// changes nothing outside this set (the server refuses with SUBGRAPH_NOT_HELD otherwise).

import type { SubStateOwnership } from '../inject/sub-workspace-manifest.js';
import { instanceAddress } from '../state/address.js';

/** The lock set, sorted and without duplicates (`["*"]` for `--lock-scope state`). O(n log n) in its size. */
export function velocityLockSet(refresh: readonly string[], owned: SubStateOwnership, creates: readonly string[], scope: 'cone' | 'state' = 'cone'): string[] {
  if (scope === 'state') return ['*'];
  const out = new Set<string>([...refresh, ...creates]);
  for (const r of owned.resources) {
    if (r.keys === undefined) out.add(instanceAddress({ ...r, indexKey: null }));
    else for (const k of r.keys) out.add(instanceAddress({ ...r, indexKey: k }));
  }
  for (const o of owned.outputs) out.add(`output.${o}`);
  return [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
