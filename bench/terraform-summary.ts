// Reads terraform's summary lines out of human (-no-color) output, for the benchmarks' checks of every run:
// "Plan: A to add, C to change, D to destroy." and "Apply complete! Resources: A added, C changed, D destroyed.".
// Guarantees: a check names what it found when it is not exactly the expected counts (never a silent pass).

export interface Counts {
  add: number;
  change: number;
  destroy: number;
}

const PLAN_LINE = /^Plan: (\d+) to add, (\d+) to change, (\d+) to destroy\.$/gm;
const APPLY_LINE = /^Apply complete! Resources: (\d+) added, (\d+) changed, (\d+) destroyed\.$/gm;

const all = (re: RegExp, stdout: string): Counts[] =>
  [...stdout.matchAll(re)].map((m) => ({ add: Number(m[1]), change: Number(m[2]), destroy: Number(m[3]) }));

/** Every "Plan: ..." line's counts, in order. O(output). */
export const planCounts = (stdout: string): Counts[] => all(PLAN_LINE, stdout);

/** Every "Apply complete! ..." line's counts, in order. O(output). */
export const applyCounts = (stdout: string): Counts[] => all(APPLY_LINE, stdout);

const text = (c: Counts, verbs: readonly [string, string, string]): string => `${c.add} ${verbs[0]}, ${c.change} ${verbs[1]}, ${c.destroy} ${verbs[2]}`;

/** null when the output has exactly one plan line with `expected` counts, else why not. O(output). */
export function checkPlan(stdout: string, expected: Counts): string | null {
  return checkOne(planCounts(stdout), expected, '"Plan:"', ['to add', 'to change', 'to destroy'], 'planned');
}

/** null when the output has exactly one "Apply complete!" line with `expected` counts, else why not. O(output). */
export function checkApply(stdout: string, expected: Counts): string | null {
  return checkOne(applyCounts(stdout), expected, '"Apply complete!"', ['added', 'changed', 'destroyed'], 'applied');
}

function checkOne(found: Counts[], expected: Counts, what: string, verbs: readonly [string, string, string], did: string): string | null {
  if (found.length !== 1) return `expected one ${what} line, found ${found.length}`;
  const c = found[0] as Counts;
  return c.add === expected.add && c.change === expected.change && c.destroy === expected.destroy ? null : `${did} ${text(c, verbs)}, expected ${text(expected, verbs)}`;
}

/** One in-place update: what one edited device gives. */
export const ONE_CHANGE: Counts = { add: 0, change: 1, destroy: 0 };
