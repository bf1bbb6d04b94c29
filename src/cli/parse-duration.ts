// Durations on the command line, as Terraform's -lock-timeout writes them: `500ms`, `30s`, `2m`, `1h`, `1m30s`;
// a bare number means seconds.

import { UsageError } from '../errors.js';

const UNIT: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds for `text`. @throws UsageError naming the flag. O(length). */
export function parseDuration(text: string, flag: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new UsageError(`${flag} must be a duration such as 500ms, 30s, 2m or 1h, not ${JSON.stringify(text)}`);
  }
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT[p[2] as string] ?? 0), 0));
}
