// `velocityPlan`: the scoped plan as a library call. Load state → detect the change → compute the refresh scope →
// run `<bin> plan` with -target for the cone (or in full, saying why) → report. It prints nothing itself: every line
// (the binary's, streamed live, and velocity's) goes to the `output` sink. The exit code is the binary's.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { reduction } from '../cone/reduction.js';
import { savingsLine } from '../cone/savings-line.js';
import type { RefreshScope } from '../engine/refresh-scope.js';
import { VelocityEngine } from '../engine/velocity-engine.js';
import { UnknownAddressError, VelocityError } from '../errors.js';
import { StateGraph } from '../graph/state-graph.js';
import type { LoadedState } from '../state/instance-record.js';
import { loadState } from '../state/load-state.js';
import { parseState } from '../state/parse-state.js';
import { detectBinaryVersion, type BinaryVersion } from '../tf/binary-version.js';
import { chooseTargets, type TargetChoice } from '../tf/choose-targets.js';
import { findBinary } from '../tf/find-binary.js';
import { plainLocalStatePath } from '../tf/local-state-path.js';
import { isTargetingWarning, parsePlanHumanLine, parsePlanJsonLine, type PlanEvent } from '../tf/parse-plan-json.js';
import { splitPlanArgs } from '../tf/plan-args.js';
import { runBinary, type OutputStream, type RunBinaryResult } from '../tf/run-binary.js';
import { argCost, buildTargetArgs, envCost } from '../tf/target-args.js';
import { TargetUniverse } from '../tf/target-universe.js';
import type { ChangeDetector, DetectResult } from '../detect/change-detector.js';
import { explicitDetector } from '../detect/explicit-detector.js';
import { defaultDetector } from '../detect/default-detector.js';

export interface VelocityPlanOptions {
  /** The binary's plan flags, verbatim (`-var=...`, `-target=...`, `-out=...`, `-json`...). */
  planArgs?: readonly string[];
  /** Working directory of the workspace. @default process.cwd() */
  cwd?: string;
  /** Environment for the binary (and VELOCITY_TF_BINARY, PATH lookup). @default process.env */
  env?: NodeJS.ProcessEnv;
  /** `--binary`: path or name of tofu/terraform. @default VELOCITY_TF_BINARY, then tofu, then terraform on PATH */
  binary?: string;
  /** `--state FILE`: read the state from a file instead of `<bin> state pull`. */
  stateFile?: string;
  /** `--changed ADDR...`: the change, named by the caller; no probe runs. */
  changed?: readonly string[];
  /** `full` runs the binary's plan untouched. @default 'optimized' */
  strategy?: 'full' | 'optimized';
  /** List every resource as refreshed or served from cached state. @default false */
  verboseRefresh?: boolean;
  /** Print the scope and the command, run no plan. @default false */
  dryRun?: boolean;
  /** Change detection when no address is named. @default defaultDetector() (the ledger; the probe when it cannot decide) */
  detector?: ChangeDetector;
  /** Receives every line: the binary's (on its own stream) and velocity's (stdout, or stderr when -json). */
  output?: (stream: OutputStream, text: string) => void;
  /** Child stdin: `inherit` lets the binary prompt for missing variables. @default 'ignore' */
  stdin?: 'ignore' | 'inherit';
  signal?: AbortSignal;
  /** OS limit for argv + env, see buildTargetArgs. */
  argMaxBytes?: number;
}

export interface VelocityPlanResult {
  /** The binary's exit code (0, 1, or 2 with -detailed-exitcode); 0 for a dry run. */
  readonly exitCode: number;
  /** What ran: the scoped plan, the whole plan, a plan without refresh (nothing changed), or nothing (dry run). */
  readonly mode: 'optimized' | 'full' | 'no-refresh' | 'dry-run' | 'detection-failed';
  readonly binary: { readonly path: string; readonly flavor: BinaryVersion['flavor']; readonly version: string };
  /** Instances in the state (N). */
  readonly total: number;
  /** velocity's change cone (|refresh|), or N when full. */
  readonly cone: number;
  /** Instances the binary actually refreshed or read (R), counted from its output; undefined for a dry run. */
  readonly refreshed: number | undefined;
  readonly refreshedAddresses: readonly string[];
  /** 1 - R/N (or 1 - cone/N for a dry run). */
  readonly savings: number;
  /** -target addresses passed (empty for full). */
  readonly targets: readonly string[];
  readonly targetChoice?: TargetChoice;
  readonly detection?: DetectResult;
  readonly scope?: RefreshScope;
  /** Why the plan ran in full when velocity was asked to optimize. */
  readonly fallbackReason?: string;
  /** The binary printed "Resource targeting is in effect". */
  readonly targetingWarning: boolean;
  /** The command run (argv without the binary path). */
  readonly command: readonly string[];
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

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
 * Runs one scoped plan. Costs: one `version`, one `state pull` (unless stateFile), the detector (probe: a plan
 * without refresh + `show -json`), O(N + dependencies) for scope and targets, then the binary's plan.
 * @throws BinaryNotFoundError, UsageError, StateParseError, AddressParseError, BinaryAbortedError
 */
export async function velocityPlan(options: VelocityPlanOptions = {}): Promise<VelocityPlanResult> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const output = options.output ?? (() => {});
  const { binary: flags } = splitPlanArgs(options.planArgs ?? [], { velocityFlags: false });
  const found = findBinary({ ...(options.binary !== undefined ? { explicit: options.binary } : {}), env, cwd });
  const versionP = detectBinaryVersion(found.path, { cwd, env, ...(options.signal ? { signal: options.signal } : {}) });
  versionP.catch(() => {}); // awaited below; NOTE: runs concurrently with state pull and the probe
  let version: BinaryVersion = { flavor: 'terraform', version: '?', major: 0, minor: 0, patch: 0, supportsTargetFile: false };
  const binaryInfo = { path: found.path, flavor: version.flavor, version: version.version };
  const setVersion = (v: BinaryVersion): void => {
    version = v;
    binaryInfo.flavor = v.flavor;
    binaryInfo.version = v.version;
  };
  const globalArgs = flags.chdir === undefined ? [] : [`-chdir=${flags.chdir}`];
  const ours: OutputStream = flags.json ? 'stderr' : 'stdout';
  const say = (line: string): void => output(ours, `${line}\n`);
  const run = (args: string[], onLine?: (stream: OutputStream, line: string) => void): Promise<RunBinaryResult> =>
    runBinary(found.path, args, {
      cwd, env, stdin: options.stdin ?? 'ignore', capture: false,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(onLine ? { onLine } : {}),
    });
  const tmp = mkdtempSync(resolve(tmpdir(), 'velocity-plan-'));
  try {
    // Cases velocity does not scope, known from the flags alone.
    let flagReason: string | undefined;
    if (!flags.refresh) flagReason = '-refresh=false: the plan reads nothing anyway';
    else if (flags.destroy) flagReason = '-destroy plans the destruction of every resource';
    else if (flags.refreshOnly && flags.targets.length === 0 && (options.changed ?? []).length === 0) flagReason = '-refresh-only without -target refreshes every resource';
    const scoping = options.strategy !== 'full' && flagReason === undefined;

    // 1. The binary's version, the state and the change, concurrently. NOTE: the probe needs no state, so it runs
    // alongside `state pull` and `version`: velocity's overhead is the slowest of the three, not their sum.
    // NOTE: -replace is not a change description on its own (other edits may exist): it passes through to the probe,
    // whose plan then lists the replacement among the changes.
    const workDir = flags.chdir === undefined ? cwd : resolve(cwd, flags.chdir);
    // NOTE: a plain local-backend directory's state is read directly: same bytes as `state pull`, one process less.
    // A legacy `-state` flag means the user points elsewhere: then `state pull` decides.
    const localState = options.stateFile === undefined && !flags.rest.some((a) => /^--?state(=|$)/.test(a)) ? plainLocalStatePath(workDir, env) : undefined;
    const stateFile = options.stateFile !== undefined ? resolve(cwd, options.stateFile) : localState;
    const stateP = stateFile !== undefined
      ? loadState(stateFile).then((st) => ({ state: st as LoadedState | undefined, exitCode: 0 }))
      : runBinary(found.path, [...globalArgs, 'state', 'pull'], { cwd, env, ...(options.signal ? { signal: options.signal } : {}) }).then((pulled) => ({
          // NOTE: a failed `state pull` (broken configuration, backend not initialized) is not replayed: the plan
          // itself runs instead, so the user sees the binary's own error in the format their flags ask for.
          state: pulled.exitCode === 0 && pulled.stdout.trim() !== '' ? parseState(pulled.stdout, '`state pull`') : undefined,
          exitCode: pulled.exitCode,
        }));
    const explicitChanged = [...(options.changed ?? [])];
    const ctx = {
      binary: found.path, globalArgs, planArgs: flags.probe, targets: flags.targets, changed: explicitChanged, cwd, env, tmpDir: tmp,
      ...(options.signal ? { signal: options.signal } : {}),
      state: stateP.then((p) => p.state, () => undefined),
    };
    const detector = explicitDetector.applies(ctx) ? explicitDetector : (options.detector ?? defaultDetector());
    const detectionP = scoping ? detector.detect(ctx) : undefined;
    detectionP?.catch(() => {});
    const [v, pulled] = await Promise.all([versionP, stateP]);
    setVersion(v);
    const state = pulled.state;
    let graph: StateGraph | undefined;
    let fallbackReason: string | undefined = pulled.exitCode !== 0 ? `\`${version.flavor} state pull\` failed (exit ${pulled.exitCode})` : undefined;
    try {
      graph = state ? StateGraph.fromState(state) : undefined;
    } catch (error) {
      if (!(error instanceof VelocityError)) throw error;
      fallbackReason = `the state cannot be scoped: ${error.message}`;
    }
    const total = graph?.size ?? state?.instances.length ?? 0;

    // 2. Cases velocity does not scope.
    if (options.strategy === 'full') fallbackReason = undefined;
    else if (flagReason !== undefined) fallbackReason = flagReason;
    else if (!graph && !fallbackReason) fallbackReason = 'there is no state yet, so there is nothing to refresh';
    if (!scoping || fallbackReason !== undefined || !graph || !detectionP) {
      await detectionP; // never leave a probe running
      return await runFull(fallbackReason);
    }

    // 3. What changed.
    const detection = await detectionP;
    if (detection.failure) {
      return { ...replayFailure(detection.failure), detection };
    }
    const how = detection.source === 'probe' ? 'probe `plan -refresh=false` + `show -json`, no resource refreshed' : detection.source === 'stream-probe' ? 'probe `plan -refresh=false -json`, no resource refreshed' : detection.source;
    if (detection.note !== undefined) say(`Velocity: ${detection.note}`);
    say(`Velocity: change detection (${how}) took ${seconds(detection.tookMs)}: ${detection.changed.length} changed`);
    if (detection.fallback) return await runFull(detection.fallback.reason, detection);

    // 4. Scope. Addresses not in the state (resources to create, new modules) are targeted as given.
    const inState: string[] = [];
    const extras: string[] = [];
    for (const a of detection.changed) {
      if (graph.has(a)) inState.push(a);
      else {
        try {
          graph.resolve([a]);
          inState.push(a);
        } catch (error) {
          if (!(error instanceof UnknownAddressError)) throw error;
          extras.push(a);
        }
      }
    }
    const userTargets = new Set(flags.targets);
    const scope = new VelocityEngine(graph).computeRefreshScope({
      targets: inState.filter((a) => userTargets.has(a)),
      changed: inState.filter((a) => !userTargets.has(a)),
    });
    if (scope.refresh.length === graph.size && graph.size > 0) return await runFull('the change cone covers every resource in the state', detection, scope);

    const universe = new TargetUniverse(Array.from({ length: graph.size }, (_, id) => graph.index.record(id)));
    const refreshIds = scope.refresh.map((a) => universe.idOf(a)).filter((id): id is number => id !== undefined);
    const choice = chooseTargets(universe, refreshIds, extras);
    const base = [...globalArgs, 'plan', ...flags.rest];

    // Nothing in the state is affected: plan without refreshing (creates and outputs still show).
    if (choice.targets.length === 0) {
      const command = [...base, '-refresh=false'];
      say(`Velocity: nothing in the state is affected by the change: planning without refresh (0/${total} resources read)`);
      if (options.dryRun) return dryRun(command, scope, detection, choice);
      return await runCounted(command, 'no-refresh', { detection, scope, targets: [], cone: 0 });
    }
    const used = envCost(env) + argCost(found.path) + base.reduce((n, a) => n + argCost(a), 0);
    const targetArgs = buildTargetArgs(choice.targets, {
      supportsTargetFile: version.supportsTargetFile, tmpDir: tmp, usedBytes: used,
      ...(options.argMaxBytes !== undefined ? { argMaxBytes: options.argMaxBytes } : {}),
    });
    if (targetArgs.kind === 'too-long') {
      return await runFull(`${choice.targets.length} -target arguments would take ${targetArgs.bytes} bytes, over the OS limit of ${targetArgs.limit}`, detection, scope);
    }
    const command = [...base, ...targetArgs.args];
    const widened = choice.form === 'module-instances' ? `, widened to ${choice.targets.length} module instance(s) so ${version.flavor} refreshes ~${choice.estimate} instead of ~${choice.alternativeEstimate}` : '';
    say(`Velocity: change cone ${scope.refresh.length}/${total} resources (${scope.static.length} upstream inputs served from state); planning with ${choice.targets.length} -target${widened}`);
    if (options.dryRun) return dryRun(command, scope, detection, choice);
    return await runCounted(command, 'optimized', { detection, scope, targets: choice.targets, cone: scope.refresh.length, choice });

    // ---- helpers (closures over the options above) ----
    function replayFailure(failed: RunBinaryResult): VelocityPlanResult {
      if (failed.stdout) output('stdout', failed.stdout.endsWith('\n') ? failed.stdout : `${failed.stdout}\n`);
      if (failed.stderr) output('stderr', failed.stderr.endsWith('\n') ? failed.stderr : `${failed.stderr}\n`);
      return {
        exitCode: failed.exitCode ?? 1, mode: 'detection-failed', binary: binaryInfo, total: 0, cone: 0, refreshed: 0, refreshedAddresses: [],
        savings: 0, targets: [], targetingWarning: false, command: [],
      };
    }

    async function runFull(reason: string | undefined, detection?: DetectResult, scope?: RefreshScope): Promise<VelocityPlanResult> {
      const command = [...globalArgs, 'plan', ...flags.rest, ...flags.targets.map((t) => `-target=${t}`)];
      if (reason !== undefined) say(`Velocity: running the full plan: ${reason}`);
      if (options.dryRun) {
        say(`Velocity: would run: ${version.flavor} ${command.join(' ')}`);
        return {
          exitCode: 0, mode: 'dry-run', binary: binaryInfo, total, cone: total, refreshed: undefined, refreshedAddresses: [], savings: 0,
          targets: flags.targets, targetingWarning: false, command, ...(reason !== undefined ? { fallbackReason: reason } : {}),
          ...(detection ? { detection } : {}), ...(scope ? { scope } : {}),
        };
      }
      const result = await runCounted(command, 'full', { ...(detection ? { detection } : {}), ...(scope ? { scope } : {}), targets: flags.targets, cone: total });
      return reason !== undefined ? { ...result, fallbackReason: reason } : result;
    }

    function dryRun(command: string[], scope: RefreshScope, detection: DetectResult, choice: TargetChoice): VelocityPlanResult {
      const staticSet = new Set(scope.static);
      if (options.verboseRefresh && graph) {
        const cone = new Set(scope.refresh);
        for (const a of graph.addresses()) {
          say(cone.has(a) ? `${a}: Refreshing... (change cone)` : staticSet.has(a) ? `${a}: Using cached state (upstream input of the change cone)` : `${a}: Using cached state (not in change cone)`);
        }
      }
      for (const t of choice.targets) say(`  -target=${t}`);
      say(`Velocity: dry run, nothing executed. Would run: ${version.flavor} ${command.join(' ')}`);
      say(`${savingsLine(reduction(scope.refresh.length, total))} (velocity's change cone; ${version.flavor} -target also reads ~${Math.max(0, choice.estimate - scope.refresh.length)} upstream inputs)`);
      return {
        exitCode: 0, mode: 'dry-run', binary: binaryInfo, total, cone: scope.refresh.length, refreshed: undefined, refreshedAddresses: [],
        savings: total === 0 ? 0 : 1 - scope.refresh.length / total, targets: choice.targets, targetChoice: choice, detection, scope,
        targetingWarning: false, command,
      };
    }

    /** Runs the plan, streams its lines, counts what it refreshes, and prints velocity's line after the refresh phase. */
    async function runCounted(
      command: string[],
      mode: 'optimized' | 'full' | 'no-refresh',
      info: { detection?: DetectResult; scope?: RefreshScope; targets: readonly string[]; cone: number; choice?: TargetChoice },
    ): Promise<VelocityPlanResult> {
      const refreshed = new Set<string>();
      let targetingWarning = false;
      let reported = -1;
      const coneSet = new Set(info.scope?.refresh ?? []);
      const report = (): void => {
        reported = refreshed.size;
        const coneNote = mode === 'optimized'
          ? ` (velocity's change cone: ${info.cone}; ${version.flavor}'s -target also refreshed ${Math.max(0, refreshed.size - [...refreshed].filter((a) => coneSet.has(a)).length)} outside it: the targets' dependencies${info.choice?.form === 'module-instances' ? ' and module instances' : ''})`
          : mode === 'full' ? ' (full plan)' : ' (plan without refresh)';
        say(`${savingsLine(reduction(refreshed.size, total))}${coneNote}`);
        if (options.verboseRefresh && graph) {
          for (const a of graph.addresses()) say(refreshed.has(a) ? `${a}: Refreshing...${coneSet.has(a) || mode !== 'optimized' ? '' : ' (input of a -target)'}` : `${a}: Using cached state (not in change cone)`);
        }
      };
      const onLine = (stream: OutputStream, line: string): void => {
        const event = stream === 'stdout' ? (flags.json ? parsePlanJsonLine(line) : parsePlanHumanLine(line)) : parsePlanHumanLine(line);
        if (reported < 0 && !isRefreshPhase(stream, line, flags.json, event)) report();
        if (event && (event.type === 'refresh_start' || event.type === 'data_read')) refreshed.add(event.address);
        if (event && isTargetingWarning(event)) targetingWarning = true;
        output(stream, `${line}\n`);
      };
      const result = await run(command, onLine);
      if (reported < 0 ? result.exitCode === 0 || refreshed.size > 0 : refreshed.size > reported) {
        if (reported >= 0) say(`Velocity: correction: ${version.flavor} refreshed more after the line above:`);
        report();
      }
      if (targetingWarning) {
        say(`Velocity: the "Resource targeting is in effect" warning is expected: velocity passed -target for the change cone only; everything outside it is unaffected by this change (--refresh-strategy=full plans everything).`);
      }
      const r = refreshed.size;
      return {
        exitCode: result.exitCode ?? 1, mode, binary: binaryInfo, total, cone: info.cone, refreshed: r, refreshedAddresses: [...refreshed].sort(),
        savings: total === 0 ? 0 : 1 - r / total, targets: info.targets, targetingWarning, command,
        ...(info.choice ? { targetChoice: info.choice } : {}), ...(info.detection ? { detection: info.detection } : {}), ...(info.scope ? { scope: info.scope } : {}),
      };
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

