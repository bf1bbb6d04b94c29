// The drift budget's choice: of a state's N instances, the ⌈N/K⌉ refreshed longest ago (never refreshed first, then
// oldest run, ties by address), leaving out those the plan refreshes anyway. Pure.
// Guarantees: when every run refreshes its choice, each instance is refreshed at least once in any K consecutive runs.

import { UsageError } from '../errors.js';
import type { LineageHistory } from './refresh-history.js';

export interface DriftBudgetInput {
  /** Every instance address of the state, sorted (ties are broken in this order). */
  readonly addresses: readonly string[];
  /** The lineage's refresh history (undefined: nothing was ever recorded). */
  readonly history: LineageHistory | undefined;
  /** Addresses the plan refreshes anyway (its refresh scope): never chosen. */
  readonly inScope: { has(address: string): boolean };
  /** K, an integer ≥ 1. */
  readonly budget: number;
}

/**
 * The ⌈N/K⌉ instances outside `inScope` refreshed longest ago, sorted (fewer when fewer are outside). Why this bounds
 * the age by K runs: an instance x not chosen in a run sees ⌈N/K⌉ instances ranked before it refreshed (they then rank
 * after it) and nothing overtakes it, so after K−1 such runs fewer than ⌈N/K⌉ rank before it and it is chosen.
 * Cost: O(N + H + ⌈N/K⌉ log ⌈N/K⌉) for H history entries (a bucket per run, no sort of the whole state).
 * @throws UsageError when `budget` is not an integer ≥ 1
 */
export function selectDriftBudget(input: DriftBudgetInput): string[] {
  const k = input.budget;
  if (!Number.isSafeInteger(k) || k < 1) throw new UsageError(`the drift budget must be a whole number of runs >= 1, got ${String(k)}`);
  const n = input.addresses.length;
  const want = Math.ceil(n / k);
  if (want === 0) return [];
  const runs = input.history?.runs ?? [];
  const age = new Map<string, number>();
  runs.forEach((r, i) => {
    for (const a of r.addresses) age.set(a, i);
  });
  // buckets[0]: never refreshed; buckets[i + 1]: last refreshed by run i (oldest first). Each stays address-sorted.
  const buckets: string[][] = Array.from({ length: runs.length + 1 }, () => []);
  for (const a of input.addresses) {
    if (input.inScope.has(a)) continue;
    const i = age.get(a);
    (buckets[i === undefined ? 0 : i + 1] as string[]).push(a);
  }
  const chosen: string[] = [];
  for (const b of buckets) {
    for (const a of b) {
      if (chosen.length === want) break;
      chosen.push(a);
    }
    if (chosen.length === want) break;
  }
  return chosen.sort();
}
