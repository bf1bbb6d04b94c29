// The drift budget's promise: with budget K, whatever else each run refreshes (random extra sets), every instance is
// refreshed at least once in every K consecutive runs, and each run chooses ⌈N/K⌉ of those it would not refresh anyway.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addRefreshes, type LineageHistory } from '../../src/detect/refresh-history.js';
import { selectDriftBudget } from '../../src/detect/select-drift-budget.js';

const scenario = fc
  .record({ n: fc.integer({ min: 1, max: 40 }), k: fc.integer({ min: 1, max: 6 }), runs: fc.integer({ min: 1, max: 24 }) })
  .chain(({ n, k, runs }) =>
    fc.record({
      n: fc.constant(n),
      k: fc.constant(k),
      // Per run: which instances the plan refreshes anyway (its change cone), as a random subset.
      extras: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: n }), { minLength: runs, maxLength: runs }),
      history: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: n }), { maxLength: 4 }),
    }),
  );

describe('selectDriftBudget', () => {
  it('refreshes every instance at least once in every K consecutive runs', () => {
    fc.assert(
      fc.property(scenario, ({ n, k, extras, history: before }) => {
        const addresses = Array.from({ length: n }, (_, i) => `sim_resource.r[${String(i).padStart(2, '0')}]`);
        // A history recorded before the budget was first used (any prior runs).
        let history: LineageHistory | undefined;
        before.forEach((ids, i) => (history = addRefreshes(history, { serial: i, at: `2026-01-01T00:00:0${i}Z`, addresses: ids.map((j) => addresses[j] as string) })));
        const refreshedPerRun: Set<string>[] = [];
        extras.forEach((ids, run) => {
          const inScope = new Set(ids.map((j) => addresses[j] as string));
          const chosen = selectDriftBudget({ addresses, history, inScope: [...inScope].sort(), budget: k });
          expect(chosen.length).toBe(Math.min(Math.ceil(n / k), n - inScope.size));
          for (const a of chosen) expect(inScope.has(a)).toBe(false);
          const refreshed = new Set([...inScope, ...chosen]);
          refreshedPerRun.push(refreshed);
          history = addRefreshes(history, { serial: 100 + run, at: new Date(Date.UTC(2026, 1, 1, 0, run)).toISOString(), addresses: [...refreshed] });
        });
        for (let start = 0; start + k <= refreshedPerRun.length; start++) {
          const seen = new Set(refreshedPerRun.slice(start, start + k).flatMap((s) => [...s]));
          expect(seen.size).toBe(n);
        }
      }),
      { numRuns: 300 },
    );
  });
});
