// Durations on the command line, as Terraform's -lock-timeout writes them: `500ms`, `30s`, `2m`, `1h`, `1m30s`;
// a bare number means seconds. Guarantees: a value that is not a duration, or outside the flag's range, is a
// UsageError (exit 2) naming the flag; never a silently rounded or clamped value.

import { UsageError } from '../errors.js';

const UNIT: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Bounds of a duration flag, in ms. */
export interface DurationRange {
  /** @default 0 */
  readonly minMs?: number;
  /** @default 365 days */
  readonly maxMs?: number;
}

const YEAR_MS = 365 * 24 * 3_600_000;

function show(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Milliseconds for `text`, within `range`. @throws UsageError naming the flag. O(length). */
export function parseDuration(text: string, flag: string, range: DurationRange = {}): number {
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) ms = Math.round(Number(text) * 1000);
  else {
    const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
    if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
      throw new UsageError(`${flag} must be a duration such as 500ms, 30s, 2m or 1h, not ${JSON.stringify(text)}`);
    }
    ms = Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT[p[2] as string] ?? 0), 0));
  }
  const min = range.minMs ?? 0;
  const max = range.maxMs ?? YEAR_MS;
  if (!(ms >= min && ms <= max)) {
    throw new UsageError(`${flag} must be ${min > 0 ? `at least ${show(min)} and ` : ''}at most ${show(max)}, not ${JSON.stringify(text)}`);
  }
  return ms;
}
