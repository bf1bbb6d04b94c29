// Records the ledger after an apply (or a plan whose probe found nothing): the configuration's block fingerprints
// for the state's lineage and new serial, so the next `velocity plan` compares fingerprints instead of running a
// probe. Guarantees: only called when what was applied covers every change (see coversEveryChange).

import type { VarArg } from '../config/root-variables.js';
import { ConfigChangeDetector } from '../detect/config-change-detector.js';
import { LedgerWriteError } from '../detect/ledger.js';
import type { PreparedPlan } from './prepared-plan.js';

/** What recording did: the entry's serial and file, or why nothing was recorded. */
export type LedgerOutcome =
  | { readonly recorded: true; readonly serial: number; readonly path: string; readonly warnings: number }
  | { readonly recorded: false; readonly why: string };

/**
 * Whether running `p` applies every change the configuration holds: a full run, or a scoped one whose change came
 * from a detector that looked at the whole configuration (ledger or probe), without the user's own -target,
 * -destroy or -refresh-only. O(1).
 */
export function coversEveryChange(p: PreparedPlan): string | undefined {
  if (p.flags.targets.length > 0) return 'the run was limited by -target';
  if (p.flags.destroy) return '-destroy does not apply the configuration';
  if (p.flags.refreshOnly) return '-refresh-only does not apply the configuration';
  if (p.execution.mode === 'replay') return 'the change detection failed';
  if (p.execution.mode === 'full') return undefined;
  if (p.detection === undefined || p.detection.source === 'explicit') return 'the change was named with --changed, so other changes may remain';
  return undefined;
}

/**
 * Writes the ledger entry for `lineage` at `serial`. A ledger that cannot be written is an outcome, not an error:
 * the apply it follows succeeded (the next plan runs a probe instead). O(configuration text) on a cold parse cache.
 * @throws ConfigParseError, VariableInputError
 */
export async function recordLedger(o: {
  readonly workingDir: string;
  readonly lineage: string;
  readonly serial: number;
  readonly vars: readonly VarArg[];
  readonly env: NodeJS.ProcessEnv;
  readonly ledgerPath?: string;
}): Promise<LedgerOutcome> {
  let recorded;
  try {
    recorded = await new ConfigChangeDetector().record({
      workingDir: o.workingDir,
      // NOTE: recording reads only the state's lineage and serial; no instance records are built.
      state: { meta: { version: 4, terraformVersion: '', serial: o.serial, lineage: o.lineage, outputs: {} }, instances: [] },
      varArgs: o.vars,
      env: o.env,
      // A ledger that cannot be read is replaced: it is being rewritten for the state as it is now.
      replaceUnreadable: true,
      ...(o.ledgerPath !== undefined ? { ledgerPath: o.ledgerPath } : {}),
    });
  } catch (error) {
    if (error instanceof LedgerWriteError) return { recorded: false, why: error.message };
    throw error;
  }
  return { recorded: true, serial: recorded.entry.serial, path: recorded.path, warnings: recorded.warnings.length };
}
