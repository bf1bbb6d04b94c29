// Records the ledger after an apply (or a plan whose probe found nothing): the configuration's block fingerprints
// for the state's lineage and new serial, so the next `velocity plan` compares fingerprints instead of running a
// probe. Guarantees: only called when what was applied covers every change (see coversEveryChange).

import type { VarArg } from '../config/root-variables.js';
import { ConfigChangeDetector, type LedgerOmissions } from '../detect/config-change-detector.js';
import { formatModulePath, parseModulePath, parseTarget, resourceLocalName, targetModule } from '../state/address.js';
import type { StateGraph } from '../graph/state-graph.js';
import { walkCone } from '../cone/walk-cone.js';
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
  /** Leave these out (not applied yet): see omissionsOf. */
  readonly omit?: LedgerOmissions;
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
      ...(o.omit !== undefined ? { omit: o.omit } : {}),
    });
  } catch (error) {
    if (error instanceof LedgerWriteError) return { recorded: false, why: error.message };
    throw error;
  }
  return { recorded: true, serial: recorded.entry.serial, path: recorded.path, warnings: recorded.warnings.length };
}

/**
 * What a ledger recorded after a probe must leave out: the blocks of every instance the probe found changed or to
 * create (a new module instance: every block under its call), the narrowed-call keys they sit under, the guards of
 * the module calls on the path of a create, and the changed outputs. O(changed). Addresses that do not parse leave out nothing and make the caller record nothing (undefined).
 */
export function omissionsOf(changed: readonly string[], creates: readonly string[], outputs: readonly string[]): LedgerOmissions | undefined {
  const blocks = new Set<string>();
  const keys = new Map<string, Set<string>>();
  const guards = new Set<string>();
  const created = new Set(creates);
  for (const address of [...changed, ...creates]) {
    let t;
    try {
      t = parseTarget(address);
    } catch {
      return undefined;
    }
    const steps = targetModule(t);
    const prefix = steps.map((s) => `module.${s.name}.`).join('');
    blocks.add(t.kind === 'resource' ? `${prefix}${resourceLocalName(t.resource)}` : prefix);
    // NOTE: a create under a call that is not narrowed key by key (a new key of a for_each over a local) is named by
    // no block fingerprint: the calls on its path keep no guard, so the next detection probes again.
    if (created.has(address)) for (let i = 1; i <= steps.length; i++) guards.add(`call:${steps.slice(0, i).map((s) => `module.${s.name}`).join('.')}`);
    const first = steps[0];
    if (first?.key !== undefined) {
      const call = formatModulePath([{ name: first.name }]);
      keys.set(call, (keys.get(call) ?? new Set()).add(String(first.key)));
    }
  }
  return { blocks, outputs: new Set(outputs), keys, guards };
}

/**
 * How many instances the next plan against an entry leaving out `omit` would plan: every instance of a left-out
 * block is reported changed (a block fingerprint cannot say which of its instances are applied), with everything
 * downstream of them. O(N) for the blocks, then O(that cone).
 */
export function omittedCone(graph: StateGraph, omit: LedgerOmissions): number {
  const prefixes = [...omit.blocks].filter((b) => b.endsWith('.'));
  const modules = new Map<string, string>();
  const seeds: number[] = [];
  for (let id = 0; id < graph.size; id++) {
    const r = graph.index.record(id);
    let prefix = modules.get(r.module);
    if (prefix === undefined) {
      prefix = r.module === '' ? '' : parseModulePath(r.module).map((s) => `module.${s.name}.`).join('');
      modules.set(r.module, prefix);
    }
    const block = `${prefix}${resourceLocalName(r)}`;
    if (omit.blocks.has(block) || prefixes.some((p) => block.startsWith(p))) seeds.push(id);
  }
  return seeds.length === 0 ? 0 : walkCone(graph.index, seeds, 'downstream').length;
}
