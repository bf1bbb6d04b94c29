// The configuration change detector as a `velocity plan` detector: fingerprints the configuration and compares
// it with the ledger recorded at the last apply (issue 7), so no probe plan walks the graph. When the ledger is
// missing or stale, or the change cannot be attributed to blocks, it runs the fallback (the probe) and says why;
// a provider or backend change, or a provider that may have changed with nothing to compare it with (the probe
// cannot see provider configuration), makes the plan run in full.

import { resolve } from 'node:path';
import { VelocityError } from '../errors.js';
import { ConfigChangeDetector } from './config-change-detector.js';
import { LedgerFormatError } from './detect-errors.js';
import type { VarArg } from '../config/root-variables.js';
import { loadState } from '../state/load-state.js';
import type { LoadedState } from '../state/instance-record.js';
import type { ChangeDetector, DetectContext, DetectResult } from './change-detector.js';
import { probeDetector } from './probe-detector.js';
import { splitPlanArgs } from '../tf/plan-args.js';

export interface DefaultDetectorOptions {
  /** Run when the configuration detector cannot decide. @default probeDetector */
  readonly fallback?: ChangeDetector;
  /** Ledger file. @default `<workspace>/.velocity/ledger.json` */
  readonly ledgerPath?: string;
}

/** `-var` / `-var-file` in the order given, from plan flags (`-var=K=V`, `-var K=V`, `--var-file=F`...): splitPlanArgs's one parse. O(flags). */
export function varArgsOf(planArgs: readonly string[]): VarArg[] {
  return splitPlanArgs(planArgs, { velocityFlags: false }).binary.vars;
}

function workingDirOf(ctx: DetectContext): string {
  if (ctx.workingDir !== undefined) return ctx.workingDir;
  const chdir = splitPlanArgs(ctx.globalArgs, { velocityFlags: false }).binary.chdir;
  return chdir === undefined ? ctx.cwd : resolve(ctx.cwd, chdir);
}

/** A ChangeDetector reading the configuration; the state comes from `ctx.state` or `<workspace>/terraform.tfstate`. */
export function defaultDetector(options: DefaultDetectorOptions = {}): ChangeDetector {
  const fallback = options.fallback ?? probeDetector;
  return {
    name: 'config',
    applies: () => true,
    async detect(ctx: DetectContext): Promise<DetectResult> {
      const started = performance.now();
      const workingDir = workingDirOf(ctx);
      const delegate = async (why: string): Promise<DetectResult> => {
        const r = await fallback.detect(ctx);
        return { ...r, note: `configuration change detection fell back to the ${fallback.name}: ${why}`, tookMs: performance.now() - started };
      };
      let state: LoadedState | undefined;
      try {
        state = ctx.state !== undefined ? await ctx.state : await loadState(resolve(workingDir, 'terraform.tfstate'));
      } catch {
        state = undefined;
      }
      if (state === undefined) return delegate('the state could not be read');
      let r;
      try {
        r = await new ConfigChangeDetector().detect({
          workingDir,
          state,
          varArgs: ctx.varArgs ?? varArgsOf(ctx.planArgs),
          env: ctx.env,
          ...(options.ledgerPath === undefined ? {} : { ledgerPath: options.ledgerPath }),
        });
      } catch (error) {
        // An unreadable ledger leaves nothing to compare provider configurations with: the probe cannot settle it.
        if (error instanceof LedgerFormatError)
          return { source: 'config', changed: [], fallback: { to: 'full', reason: error.message }, tookMs: performance.now() - started };
        // NOTE: a configuration that does not parse is reported by the binary itself, in the user's format.
        if (error instanceof VelocityError) return delegate(error.message);
        throw error;
      }
      if (r.fallback?.to === 'probe') return delegate(r.fallback.reason);
      const tookMs = performance.now() - started;
      if (r.fallback?.to === 'full') return { source: 'config', changed: [], fallback: { to: 'full', reason: r.fallback.reason }, tookMs };
      const creates = [...r.newBlocks, ...r.newInstances].sort();
      return {
        source: 'config',
        changed: [...r.changed, ...creates].sort(),
        creates,
        outputs: r.changedOutputs,
        note: `configuration fingerprints compared with the ledger at state serial ${state.meta.serial}: ${r.changedBlocks.length} changed block(s), ${r.removedBlocks.length} removed, ${r.newInstances.length} new module instance(s)`,
        tookMs,
      };
    },
  };
}
