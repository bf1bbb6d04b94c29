// After a plan: what the binary refreshed goes into the refresh history (the state's lineage and serial), so the
// next --drift-budget knows what is fresh. Guarantees: only a successful plan that ran is recorded (no dry run, no
// failure); addresses outside velocity's state (another workspace's --state) are left out.

import { dirname, resolve } from 'node:path';
import { VelocityError } from '../errors.js';
import { defaultRefreshHistoryPath, recordRefreshes } from '../detect/refresh-history.js';
import { ignoreVelocityDir } from './ignore-velocity-dir.js';
import type { PlanResult, PreparedPlan } from './prepared-plan.js';

export interface RecordPlanRefreshesOptions {
  /** The history file. @default `<workingDir>/.velocity/refresh-history.json` */
  readonly refreshHistory?: string;
  /** A budget (or a drift run) depends on the history: then a failure to read or write it is thrown, else ignored. */
  readonly required: boolean;
}

/** Where a prepared plan's history lives. O(1). */
export function refreshHistoryPathOf(p: Pick<PreparedPlan, 'cwd' | 'flags'>, explicit?: string): string {
  if (explicit !== undefined) return resolve(p.cwd, explicit);
  return defaultRefreshHistoryPath(p.flags.chdir === undefined ? p.cwd : resolve(p.cwd, p.flags.chdir));
}

/**
 * Records `result.refreshedAddresses` when the plan succeeded (exit 0, or 2 with -detailed-exitcode). Returns `result`.
 * Cost: O(R) plus recordRefreshes (O(history file)).
 * @throws RefreshHistoryFormatError, RefreshHistoryWriteError (only when `required`)
 */
export async function recordPlanRefreshes(p: PreparedPlan, result: PlanResult, o: RecordPlanRefreshesOptions): Promise<PlanResult> {
  if (result.mode === 'dry-run' || result.mode === 'detection-failed') return result;
  const ok = result.exitCode === 0 || (result.exitCode === 2 && p.flags.detailedExitcode);
  const graph = p.graph;
  if (!ok || graph === undefined || graph.meta.lineage === '') return result;
  const addresses = result.refreshedAddresses.filter((a) => graph.has(a));
  const path = refreshHistoryPathOf(p, o.refreshHistory);
  if (o.refreshHistory === undefined) ignoreVelocityDir(dirname(path));
  try {
    await recordRefreshes({ path, lineage: graph.meta.lineage, serial: graph.meta.serial, addresses });
  } catch (error) {
    // NOTE: without a budget the history only feeds later budgets; a read-only workspace must still plan.
    if (o.required || !(error instanceof VelocityError)) throw error;
  }
  return result;
}
