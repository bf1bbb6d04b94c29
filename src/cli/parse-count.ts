// Reads a whole-number option value (`--depth 2`) strictly: decimal digits only, so '', ' 1', '1e1', '0x10'
// and '1.0' are usage errors naming the option instead of numbers JavaScript would quietly make of them.

import { UsageError } from '../errors.js';

/** The value of `flag` as an integer ≥ `min`. O(length). @throws UsageError naming the flag and the value. */
export function parseCount(text: string, flag: string, usage: string, min = 0): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number ≥ ${min}, got ${JSON.stringify(text)}\n${usage}`);
  return n;
}
