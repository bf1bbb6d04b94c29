// Writes a plan's `--report FILE` atomically: a temporary file beside FILE, then one rename, so a reader sees the
// old report or the new one, never half of one. Guarantees: on failure no temporary file is left and the error is
// a ReportWriteError (OUTPUT_WRITE) carrying the plan's result.

import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ReportWriteError } from './plan-errors.js';
import { planReport } from './plan-report.js';
import type { PlanResult } from './prepared-plan.js';

/**
 * Writes `planReport(result)` as one JSON object (two-space indent, final newline) to `path` (absolute). One write
 * and one rename; O(R log R) for the report.
 * @throws ReportWriteError when the file cannot be written
 */
export async function writePlanReport(path: string, result: PlanResult): Promise<void> {
  // NOTE: the temporary file is in FILE's own directory: a rename is atomic only within one file system.
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, `${JSON.stringify(planReport(result), null, 2)}\n`, { flag: 'wx' });
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => {});
    throw new ReportWriteError(path, error, result);
  }
}
