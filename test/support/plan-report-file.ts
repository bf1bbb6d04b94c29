// Test support: reading a `--report FILE` back, and what the binary itself printed, to check the report against.
import { readFileSync } from 'node:fs';

/** The report's exact keys, in the order written (pinned: a change to the report's shape is a deliberate edit here). */
export const REPORT_KEYS = ['mode', 'total', 'cone', 'refreshed', 'refreshedAddresses', 'targets', 'fallbackReason', 'subWorkspace', 'detection', 'durationsMs'];
export const DURATION_KEYS = ['load', 'detect', 'scope', 'synthesize', 'binary'];

export interface ReportFile {
  mode: string;
  total: number;
  cone: number;
  refreshed: number | null;
  refreshedAddresses: string[];
  targets: string[];
  fallbackReason: string | null;
  subWorkspace: string | null;
  detection: string | null;
  durationsMs: Record<string, number>;
}

export function readReport(path: string): ReportFile {
  return JSON.parse(readFileSync(path, 'utf8')) as ReportFile;
}

/** Addresses of the binary's `ADDR: Refreshing state...` / `ADDR: Reading...` lines (human output), sorted, once each. */
export function printedRefreshes(stdout: string): string[] {
  const found = new Set<string>();
  for (const line of stdout.split('\n')) {
    const m = /^(\S.*?): (?:Refreshing state\.\.\.|Reading\.\.\.)/.exec(line);
    if (m) found.add(m[1] as string);
  }
  return [...found].sort();
}
