// The drift budget's choice: of a state's N instances, the ⌈N/K⌉ refreshed longest ago (never refreshed first, then
// oldest run, ties by address), leaving out those the plan refreshes anyway. Pure.
// Guarantees: when every run refreshes its choice, each instance is refreshed at least once in any K consecutive runs.

import { UsageError } from '../errors.js';
import type { LineageHistory } from './refresh-history.js';

export interface DriftBudgetInput {
  /** Every instance address of the state, sorted by code unit (`Array.prototype.sort`), unique. */
  readonly addresses: readonly string[];
  /** The lineage's refresh history (undefined: nothing was ever recorded); each run's addresses sorted likewise. */
  readonly history: LineageHistory | undefined;
  /** Addresses the plan refreshes anyway (its refresh scope), sorted likewise: never chosen. */
  readonly inScope: readonly string[];
  /** K, an integer ≥ 1. */
  readonly budget: number;
}

/**
 * Marks `age[i] = run` for every address of `sorted` found in `all`. O(min(N + m, m log N)) string comparisons.
 * NOTE: a merge of sorted lists instead of a Map: at 1,000,000 addresses a Map of them costs seconds and ~100 MB.
 */
function mark(all: readonly string[], sorted: readonly string[], age: Int32Array, run: number): void {
  const n = all.length;
  if (sorted.length * Math.log2(n + 1) < n) {
    let lo = 0;
    for (const a of sorted) {
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((all[mid] as string) < a) lo = mid + 1;
        else hi = mid;
      }
      if (lo < n && all[lo] === a) age[lo] = run;
    }
    return;
  }
  let i = 0;
  for (const a of sorted) {
    while (i < n && (all[i] as string) < a) i++;
    if (i < n && all[i] === a) age[i] = run;
  }
}

/**
 * The ⌈N/K⌉ instances outside `inScope` refreshed longest ago, sorted (fewer when fewer are outside). Why this bounds
 * the age by K runs: an instance x not chosen in a run sees ⌈N/K⌉ instances ranked before it refreshed (they then rank
 * after it) and nothing overtakes it, so after K−1 such runs fewer than ⌈N/K⌉ rank before it and it is chosen.
 * Cost: O(N + S + H log N) string comparisons for S in scope and H history entries, O(N) memory (no sort, no Map).
 * @throws UsageError when `budget` is not an integer ≥ 1
 */
export function selectDriftBudget(input: DriftBudgetInput): string[] {
  const k = input.budget;
  if (!Number.isSafeInteger(k) || k < 1) throw new UsageError(`the drift budget must be a whole number of runs >= 1, got ${String(k)}`);
  const all = input.addresses;
  const want = Math.ceil(all.length / k);
  if (want === 0) return [];
  const runs = input.history?.runs ?? [];
  // age[i]: 0 never refreshed, r + 1 last refreshed by run r (oldest first); -1 in scope (not a candidate).
  const age = new Int32Array(all.length);
  runs.forEach((r, i) => mark(all, r.addresses, age, i + 1));
  mark(all, input.inScope, age, -1);
  // The oldest bucket that fills the budget, then one pass in address order: the output comes out sorted.
  const count = new Int32Array(runs.length + 1);
  for (let i = 0; i < age.length; i++) if ((age[i] as number) >= 0) (count[age[i] as number] as number)++;
  let last = 0;
  let before = 0;
  while (last < count.length && before + (count[last] as number) < want) before += count[last++] as number;
  let fromLast = want - before; // how many of bucket `last` (in address order) join the older ones
  const chosen: string[] = [];
  for (let i = 0; i < age.length; i++) {
    const b = age[i] as number;
    if (b < 0 || b > last) continue;
    if (b === last) {
      if (fromLast === 0) continue;
      fromLast--;
    }
    chosen.push(all[i] as string);
  }
  return chosen;
}
