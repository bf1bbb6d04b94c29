// The plans `velocity plan -out=F` saved: one record per plan file, keyed by the SHA-256 of its bytes, in
// `<workspace>/.velocity/plans/`. `velocity apply F` finds there the sub-workspace an inject-mode plan belongs to
// and whether applying it applies every change (so the ledger may be recorded). Guarantees: atomic writes; a plan
// file that changed since (another plan written over it) is not found.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { VarArg } from '../config/root-variables.js';
import { writeJsonAtomic } from '../json-file.js';

export interface SavedPlanRecord {
  readonly format: 'velocity-saved-plan';
  readonly version: 1;
  /** Absolute path the plan was written to. */
  readonly planFile: string;
  /** SHA-256 of its bytes (hex). */
  readonly digest: string;
  /** How it was planned: `inject` plans live in `subWorkspace`; the others are plans of the real workspace. */
  readonly execution: 'inject' | 'target' | 'full' | 'no-refresh';
  readonly subWorkspace?: string;
  /** Applying it applies every change the configuration has: the ledger is recorded afterwards. */
  readonly complete: boolean;
  /** The plan's -var / -var-file (files absolute): the ledger fingerprints the configuration with them. */
  readonly vars: readonly VarArg[];
  readonly createdAt: string;
}

const plansDir = (workDir: string): string => join(workDir, '.velocity', 'plans');

/** SHA-256 of a file, streamed. O(file). */
export async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Records a saved plan (replacing any record of the same bytes). O(plan file). */
export async function recordSavedPlan(workDir: string, record: Omit<SavedPlanRecord, 'format' | 'version' | 'digest' | 'createdAt'>): Promise<SavedPlanRecord> {
  const digest = await fileDigest(record.planFile);
  const full: SavedPlanRecord = { format: 'velocity-saved-plan', version: 1, ...record, digest, createdAt: new Date().toISOString() };
  await writeJsonAtomic(join(plansDir(workDir), `${digest}.json`), full, { pretty: true });
  return full;
}

/** The record of the plan file `planFile` (by its bytes), or undefined when velocity did not save it. O(plan file). */
export async function findSavedPlan(workDir: string, planFile: string): Promise<SavedPlanRecord | undefined> {
  let digest: string;
  try {
    digest = await fileDigest(planFile);
  } catch {
    return undefined; // the binary reports a missing plan file in its own words
  }
  const text = await readFile(join(plansDir(workDir), `${digest}.json`), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const doc = JSON.parse(text) as Partial<SavedPlanRecord>;
    return doc.format === 'velocity-saved-plan' && doc.version === 1 && doc.digest === digest ? (doc as SavedPlanRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** Forgets a saved plan (after it was applied: Terraform refuses to apply a plan twice anyway). */
export async function forgetSavedPlan(workDir: string, digest: string): Promise<void> {
  await rm(join(plansDir(workDir), `${digest}.json`), { force: true });
}
