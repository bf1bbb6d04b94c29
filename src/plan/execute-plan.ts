// executePlan, the last step of the plan pipeline: runs a PreparedPlan's execution, streams the binary's lines,
// counts what it really refreshed and has the reporter speak (or, for a dry run, only speak).
// Guarantees: the exit code is the binary's; the prepared plan's temporary directory is removed on every path.

import { isTargetingWarning, parsePlanHumanLine, parsePlanJsonLine, type PlanEvent } from '../tf/parse-plan-json.js';
import { terraformRefreshOf } from '../tf/choose-targets.js';
import { runBinary, type OutputStream, type RunBinaryResult } from '../tf/run-binary.js';
import { fullPlanReasonText, PlanReporter } from './plan-reporter.js';
import type { PlanResult, PreparedPlan } from './prepared-plan.js';

export interface ExecutePlanOptions {
  /** Receives every line: the binary's (on its own stream) and velocity's (stdout, or stderr when -json). */
  readonly output?: (stream: OutputStream, text: string) => void;
  /** Aborting stops the binary (see runBinary) and rejects with BinaryAbortedError. */
  readonly signal?: AbortSignal;
  /** Print the scope and the command, run nothing. @default false */
  readonly dryRun?: boolean;
  /** List every instance as refreshed or served from cached state. @default false */
  readonly verboseRefresh?: boolean;
}

/** |change cone|: `scope.refresh` without the upstream inputs a -target plan refreshes too. O(|refresh|). */
function changeConeSize(p: PreparedPlan): number {
  let n = 0;
  for (const a of p.scope.refresh) if (p.scope.reasons.get(a)?.kind !== 'not-injectable') n++;
  return n;
}

/** The environment of a sub-workspace run: the workspace selection is the real one's, not the sub-workspace's. */
export function subEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  delete out['TF_WORKSPACE'];
  return out;
}

/** Lines that belong to the refresh phase of a plan (velocity's savings line goes right after them). */
function isRefreshPhase(stream: OutputStream, line: string, json: boolean, event: PlanEvent | undefined): boolean {
  if (stream === 'stderr') return true;
  if (json) {
    if (event && (event.type === 'refresh_start' || event.type === 'refresh_complete' || event.type === 'data_read')) return true;
    return /"type":"(version|log|apply_complete|apply_start|refresh_start|refresh_complete)"/.test(line);
  }
  const text = line.replace(/\u001b\[[0-9;]*m/g, '').trim();
  if (event !== undefined) return event.type !== 'diagnostic';
  // NOTE: blank lines and lock messages ("Acquiring state lock. This may take a few moments...", printed when the lock
  // is slow) come before or between refresh lines; the plan body starts with the first other line.
  return text === '' || /^(Acquiring|Releasing) state lock/.test(text) || /: (Read complete after|Reading\.\.\.|Refreshing state\.\.\.)/.test(text);
}

/**
 * Runs `prepared`. Cost: the binary's plan (nothing for a dry run) plus O(output lines); with verboseRefresh, O(N).
 * Disposes `prepared` when done, whatever happens.
 * @throws BinaryAbortedError (signal), spawn errors
 */
export async function executePlan(prepared: PreparedPlan, options: ExecutePlanOptions = {}): Promise<PlanResult> {
  const output = options.output ?? (() => {});
  const ours: OutputStream = prepared.flags.json ? 'stderr' : 'stdout';
  const report = new PlanReporter((line) => output(ours, `${line}\n`), prepared.version.flavor);
  const p = prepared;
  const common = {
    binary: p.binary, total: p.total, targetingWarning: false, durationsMs: { ...p.timings, binary: 0 },
    ...(p.detection ? { detection: p.detection } : {}), ...(p.changeScope ? { scope: p.changeScope } : {}),
  };
  try {
    const ex = p.execution;
    if (ex.mode === 'replay') {
      const failed = ex.failure;
      if (failed.stdout) output('stdout', failed.stdout.endsWith('\n') ? failed.stdout : `${failed.stdout}\n`);
      if (failed.stderr) output('stderr', failed.stderr.endsWith('\n') ? failed.stderr : `${failed.stderr}\n`);
      return { ...common, exitCode: failed.exitCode ?? 1, mode: 'detection-failed', execution: 'replay', total: 0, cone: 0, refreshed: 0, refreshedAddresses: [], savings: 0, targets: [], command: [] };
    }
    if (p.detection) report.detection(p.detection);
    if (p.changeScope) report.driftBudget(p.changeScope);
    if (ex.mode === 'full') {
      const fallbackReason = ex.reason === undefined ? undefined : fullPlanReasonText(ex.reason, p.version.flavor);
      const fb = fallbackReason !== undefined ? { fallbackReason } : {};
      if (ex.reason !== undefined) report.fullPlan(ex.reason);
      if (options.dryRun) {
        report.wouldRunFull(ex.command);
        return { ...common, ...fb, exitCode: 0, mode: 'dry-run', execution: 'full', cone: p.total, refreshed: undefined, refreshedAddresses: [], savings: 0, targets: p.flags.targets, command: ex.command };
      }
      const run = await runCounted(ex.command, 'full', false);
      return { ...common, ...fb, ...run, mode: 'full', execution: 'full', cone: p.total, targets: p.flags.targets, command: ex.command };
    }
    if (ex.mode === 'no-refresh') {
      report.nothingAffected(p.total);
      if (options.dryRun) {
        report.dryRunTargets(p, { targets: [], form: 'exact', estimate: 0, alternativeEstimate: 0 }, ex.command, new Set(), options.verboseRefresh ?? false);
        return { ...common, exitCode: 0, mode: 'dry-run', execution: 'no-refresh', cone: 0, refreshed: undefined, refreshedAddresses: [], savings: p.total === 0 ? 0 : 1, targets: [], command: ex.command };
      }
      const run = await runCounted(ex.command, 'no-refresh', false);
      return { ...common, ...run, mode: 'no-refresh', execution: 'no-refresh', cone: 0, targets: [], command: ex.command };
    }
    if (ex.mode === 'inject') {
      report.injectScope(p, ex.sub);
      const sub = ex.sub.keep ? { subWorkspace: ex.sub.dir } : {};
      if (options.dryRun) {
        report.dryRunInject(p, ex.sub, ex.command, options.verboseRefresh ?? false);
        return { ...common, ...sub, exitCode: 0, mode: 'dry-run', execution: 'inject', cone: changeConeSize(p), refreshed: undefined, refreshedAddresses: [], savings: p.total === 0 ? 0 : 1 - ex.sub.kept.length / p.total, targets: p.flags.targets, command: ex.command };
      }
      const run = await runCounted(ex.command, 'inject', false, ex.sub.dir);
      return { ...common, ...sub, ...run, mode: 'optimized', execution: 'inject', cone: changeConeSize(p), targets: p.flags.targets, command: ex.command };
    }
    if (ex.injectFallback !== undefined) report.injectFallback(ex.injectFallback);
    report.targetScope(p, ex.choice);
    if (ex.minimalRefresh) report.minimalRefresh(p.binary.version);
    const cone = changeConeSize(p);
    if (options.dryRun) {
      const estimated = p.graph && options.verboseRefresh ? new Set([...terraformRefreshOf(p.graph.index, ex.targets)].map((id) => p.graph!.index.address(id))) : new Set<string>();
      report.dryRunTargets(p, ex.choice, ex.command, estimated, options.verboseRefresh ?? false);
      return {
        ...common, exitCode: 0, mode: 'dry-run', execution: 'target', cone, refreshed: undefined, refreshedAddresses: [],
        savings: p.total === 0 ? 0 : 1 - cone / p.total, targets: ex.targets, targetChoice: ex.choice, command: ex.command,
        ...(ex.injectFallback !== undefined ? { injectFallback: ex.injectFallback } : {}),
      };
    }
    const run = await runCounted(ex.command, 'optimized', ex.choice.form === 'module-instances');
    return { ...common, ...run, mode: 'optimized', execution: 'target', cone, targets: ex.targets, targetChoice: ex.choice, command: ex.command, ...(ex.injectFallback !== undefined ? { injectFallback: ex.injectFallback } : {}) };
  } finally {
    p.dispose();
  }

  /** Runs the plan, streams its lines, counts what it refreshes, and prints velocity's line after the refresh phase. */
  async function runCounted(command: readonly string[], mode: 'optimized' | 'inject' | 'full' | 'no-refresh', widened: boolean, cwd = p.cwd) {
    const refreshed = new Set<string>();
    let targetingWarning = false;
    let reported = -1;
    const foreign = (): string[] => (p.userStateFile && p.graph ? [...refreshed].filter((a) => !p.graph!.has(a)).sort() : []);
    const say = (): void => {
      reported = refreshed.size;
      const outside = foreign();
      if (outside.length > 0) report.foreignState(outside);
      else report.refreshed(mode, refreshed, p, widened);
      if (options.verboseRefresh) report.verboseRun(mode, refreshed, p);
    };
    const onLine = (stream: OutputStream, line: string, shown: number): void => {
      const event = stream === 'stdout' ? (p.flags.json ? parsePlanJsonLine(line) : parsePlanHumanLine(line)) : parsePlanHumanLine(line);
      if (reported < 0 && !isRefreshPhase(stream, line, p.flags.json, event)) say();
      if (event && (event.type === 'refresh_start' || event.type === 'data_read')) refreshed.add(event.address);
      if (event && isTargetingWarning(event)) targetingWarning = true;
      output(stream, `${shown > 0 ? line.slice(shown) : line}\n`);
    };
    const started = performance.now();
    const result: RunBinaryResult = await runBinary(p.binary.path, command, {
      cwd, env: mode === 'inject' ? subEnv(p.env) : p.env, stdin: p.stdin, capture: false, onLine,
      // A prompt (a variable without a value, an apply's confirmation) is shown while the binary waits for it.
      ...(p.stdin === 'inherit' ? { onPrompt: (stream: OutputStream, text: string) => output(stream, text) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const binaryMs = performance.now() - started;
    if (reported < 0 ? result.exitCode === 0 || refreshed.size > 0 : refreshed.size > reported) {
      if (reported >= 0) report.correction();
      say();
    }
    if (targetingWarning) report.targetingWarning();
    const outside = foreign();
    return {
      exitCode: result.exitCode ?? 1, refreshed: refreshed.size, refreshedAddresses: [...refreshed].sort(),
      savings: p.total === 0 ? 0 : 1 - refreshed.size / p.total, targetingWarning, durationsMs: { ...p.timings, binary: binaryMs },
      ...(outside.length > 0 ? { foreignRefreshed: outside } : {}),
    };
  }
}
