// The one line users read: `Refreshing state... [Velocity: 15/200 resources (92.5% savings)]`.

import type { Reduction } from './reduction.js';

/** Formats a reduction; the percentage has one decimal and never rounds up to 100% unless it is. O(1). */
export function savingsLine(r: Reduction): string {
  const pct = Math.floor(r.savings * 1000) / 10;
  return `Refreshing state... [Velocity: ${r.subgraph}/${r.total} resources (${pct.toFixed(1)}% savings)]`;
}
