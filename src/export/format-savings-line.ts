// The savings line velocity prints before a scoped refresh, shared by the HTML page and the graph attributes.
// Guarantees: the exact text `Refreshing state... [Velocity: R/N resources (P% savings)]`, P with at most one decimal.

import type { ExportSavings } from './export-view.js';

/** Formats the savings line. O(1). */
export function formatSavingsLine(s: ExportSavings): string {
  const pct = Math.round(s.savings * 1000) / 10;
  return `Refreshing state... [Velocity: ${s.refresh}/${s.total} resources (${pct}% savings)]`;
}
