// The one fallback type of change detection: when a detector cannot scope a change, it says what must run
// instead (`probe`: a `plan -refresh=false` settles it; `full`: no scoped plan can be trusted) and why.

/** Set when a detector's changed set must not be trusted. `to === 'full'` is the one test for "run in full". */
export interface DetectFallback {
  readonly to: 'probe' | 'full';
  /** One line for the user. */
  readonly reason: string;
}

/** A fallback to a full plan: what `velocity plan` detectors return (the probe has already been run or ruled out). */
export type FullFallback = DetectFallback & { readonly to: 'full' };

/** The stronger of two fallbacks (`full` wins; on a tie the first). O(1). */
export function strongerFallback(a: DetectFallback | undefined, b: DetectFallback | undefined): DetectFallback | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.to === 'full' && a.to !== 'full' ? b : a;
}
