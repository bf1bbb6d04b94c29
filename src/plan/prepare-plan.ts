// preparePlan, step one of the plan pipeline: the state graph (snapshot cache, a local backend's file under
// Terraform's lock, `state pull` streamed), the change, its scope, and the ExecutionPlan. Runs no plan, prints nothing.
// Guarantees: `scope.refresh` is exactly what the execution may refresh, so what a caller locks is what runs.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { synthesizeSubWorkspace } from '../inject/synthesize-sub-workspace.js';
import { readStateHead } from '../state/read-state-head.js';
import { writeSubWorkspaceManifest } from '../inject/sub-workspace-manifest.js';
import { formatModulePath, parseModulePath, parseTarget, targetModule, type ModuleStep } from '../state/address.js';
import { ignoreVelocityDir } from './ignore-velocity-dir.js';
import type { RefreshScope, RefreshScopeRequest } from '../engine/refresh-scope.js';
import { VelocityEngine } from '../engine/velocity-engine.js';
import { DependencyCycleError, UnknownAddressError, VelocityError } from '../errors.js';
import { loadStateGraph, type LoadedStateGraph } from '../graph/load-state-graph.js';
import type { StateGraph } from '../graph/state-graph.js';
import type { LoadedState } from '../state/instance-record.js';
import { detectBinaryVersion } from '../tf/binary-version.js';
import { chooseTargets } from '../tf/choose-targets.js';
import { findBinary } from '../tf/find-binary.js';
import { plainLocalStatePath } from '../tf/local-state-path.js';
import { splitPlanArgs, type BinaryPlanFlags } from '../tf/plan-args.js';
import { resolvePlanMode, type PlanMode } from '../tf/plan-mode.js';
import { pullState } from '../tf/pull-state.js';
import { readLocalState } from '../tf/read-local-state.js';
import { relocatePlanArgs } from '../tf/relocate-plan-args.js';
import { argCost, buildTargetArgs, envCost } from '../tf/target-args.js';
import type { ChangeDetector, DetectContext, DetectResult } from '../detect/change-detector.js';
import { defaultDetector } from '../detect/default-detector.js';
import { explicitDetector } from '../detect/explicit-detector.js';
import { StateMismatchError } from './plan-errors.js';
import { withDriftBudget } from './drift-budget-request.js';
import { refreshHistoryPathOf } from './record-plan-refreshes.js';
import { fullPlanReasonText } from './plan-reporter.js';
import type { ExecutionPlan, FullPlanReason, PlanDurationsMs, PreparedPlan, SubWorkspace } from './prepared-plan.js';

export interface PreparePlanOptions {
  /** The binary's plan flags, verbatim (`-var=...`, `-target=...`, `-out=...`, `-json`...). */
  planArgs?: readonly string[];
  /** The same flags already parsed by splitPlanArgs (the CLI's one parse); wins over planArgs. */
  planFlags?: BinaryPlanFlags;
  /** Working directory of the workspace. @default process.cwd() */
  cwd?: string;
  /** Environment for the binary (and VELOCITY_TF_BINARY, PATH lookup). @default process.env */
  env?: NodeJS.ProcessEnv;
  /** `--binary`: path or name of tofu/terraform. @default VELOCITY_TF_BINARY, then tofu, then terraform on PATH */
  binary?: string;
  /** `--state FILE`: read the state from a file instead of the workspace's backend. */
  stateFile?: string;
  /** A state graph the caller already holds (an orchestrator): no state is read. Wins over stateFile. */
  graph?: StateGraph;
  /** `--changed ADDR...`: the change, named by the caller; no probe runs. */
  changed?: readonly string[];
  /** A detection the caller already ran: no detector runs. Wins over `changed`. */
  detection?: DetectResult;
  /** `full` runs the binary's plan untouched; an alias of `mode: 'full'` (see resolvePlanMode). @default 'optimized' */
  strategy?: 'full' | 'optimized';
  /**
   * `auto`: a sub-workspace holding only the cone where every construct it keeps can be carried over soundly, else
   * -target (saying why); `inject` the same (it never injects unsoundly); `target`: -target on the real workspace;
   * `full`: the binary untouched (as strategy 'full'). @default 'auto'
   */
  mode?: PlanMode;
  /** The state file `graph` was read from (inject mode copies instances from it); only with `graph`. */
  statePath?: string;
  /** Change detection when no address is named. @default defaultDetector() (the ledger; the probe when it cannot decide) */
  detector?: ChangeDetector;
  /** Child stdin: `inherit` lets the binary prompt for missing variables. @default 'ignore' */
  stdin?: 'ignore' | 'inherit';
  signal?: AbortSignal;
  /** OS limit for argv + env, see buildTargetArgs. */
  argMaxBytes?: number;
  /** `--drift-budget K`: also refresh (and plan) the ⌈N/K⌉ instances refreshed longest ago (withDriftBudget). */
  driftBudget?: number;
  /**
   * A `velocity drift` run (velocityDrift): `-refresh-only` is scoped (inject mode keeps only the budget's slice)
   * and the request is the budget's choice alone (pass `detection` with nothing changed).
   */
  driftCheck?: boolean;
  /** The refresh history file. @default `<workingDir>/.velocity/refresh-history.json` */
  refreshHistory?: string;
  /**
   * The binary's subcommand the execution runs: `apply` plans and applies in one run (the sub-workspace is then
   * kept for the merge; the caller removes it, see velocityApply). @default 'plan'
   */
  subcommand?: 'plan' | 'apply';
}

/** Where the state is and what reading it gave. */
interface StateRead {
  readonly graph: StateGraph | undefined;
  readonly source: PreparedPlan['stateSource'];
  readonly reason?: FullPlanReason;
  /** A copy of the pulled state's bytes (inject mode reads instance objects from it by byte span). */
  readonly copy?: string;
}

/** A state that parses but cannot be scoped (a dependency cycle): the plan runs in full and says why. */
const isGraphError = (e: unknown): e is VelocityError => e instanceof DependencyCycleError;

/** Graph errors (a cycle...) make the plan run in full; parse errors are the user's to fix and are thrown. */
async function guardGraph(load: () => Promise<LoadedStateGraph>, source: StateRead['source']): Promise<StateRead> {
  try {
    return { graph: (await load()).graph, source };
  } catch (error) {
    if (!isGraphError(error)) throw error;
    return { graph: undefined, source, reason: { kind: 'state-unscopable', message: error.message } };
  }
}

/** The lineage of a state file from its head (64 KiB), or undefined when it cannot be read. O(1). */
function headLineage(path: string): string | undefined {
  try {
    return readStateHead({ path }).lineage;
  } catch {
    return undefined;
  }
}

/** The records of a graph as a LoadedState, for detectors that read records. O(N) when first awaited. */
function loadedStateOf(graph: StateGraph): LoadedState {
  return { meta: graph.meta, instances: Array.from({ length: graph.size }, (_, id) => graph.index.record(id)) };
}

/** A scope that refreshes every instance (a full plan), or none when there is no state. O(N log N). */
function fullScope(graph: StateGraph | undefined, why?: string): RefreshScope {
  if (graph) return new VelocityEngine(graph).computeRefreshScope({ strategy: 'full', ...(why !== undefined ? { fallbackReason: why } : {}) });
  return { strategy: 'full', total: 0, refresh: [], static: [], untouched: 0, savings: 0, reasons: new Map(), warnings: [] };
}

/**
 * Prepares one plan. Costs: one `version` (concurrent), the state (a snapshot hit, a file read under the local
 * lock, or one streamed `state pull`), the detector (probe: a plan without refresh), O(cone · log cone) for the
 * scope, and the target choice (the index's TargetLookup, O(N · module depth) once per graph, then O(answer)).
 * Call `dispose()` on the result if it is not executed.
 * With `driftBudget`: the refresh history read and selectDriftBudget (O(N + H log N)).
 * @throws BinaryNotFoundError, UsageError, StateParseError, StateMismatchError, AddressParseError, BinaryAbortedError,
 *   RefreshHistoryFormatError (driftBudget)
 */
export async function preparePlan(options: PreparePlanOptions = {}): Promise<PreparedPlan> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const flags = options.planFlags ?? splitPlanArgs(options.planArgs ?? [], { velocityFlags: false }).binary;
  const mode: PlanMode = resolvePlanMode(options.strategy, options.mode); // before anything starts: it may throw
  const subcommand = options.subcommand ?? 'plan';
  const strategy = mode === 'full' ? 'full' : 'optimized';
  const found = findBinary({ ...(options.binary !== undefined ? { explicit: options.binary } : {}), env, cwd });
  const signal = options.signal ? { signal: options.signal } : {};
  const versionP = detectBinaryVersion(found.path, { cwd, env, ...signal });
  versionP.catch(() => {}); // awaited below; NOTE: runs concurrently with the state read and the probe
  const globalArgs = flags.chdir === undefined ? [] : [`-chdir=${flags.chdir}`];
  const workDir = flags.chdir === undefined ? cwd : resolve(cwd, flags.chdir);
  const tmp = mkdtempSync(resolve(tmpdir(), 'velocity-plan-'));
  let disposed = false;
  let subDir: { dir: string; keep: boolean } | undefined;
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    rmSync(tmp, { recursive: true, force: true });
    if (subDir && !subDir.keep) rmSync(subDir.dir, { recursive: true, force: true });
  };
  let detectionP: Promise<DetectResult | undefined> | undefined;
  const timings: { -readonly [K in keyof PlanDurationsMs]: number } = { load: 0, detect: 0, scope: 0, synthesize: 0, binary: 0 };
  /** Runs `step` and adds its wall time to `timings[key]`, whether it resolves or rejects. */
  const timed = <T>(key: keyof PlanDurationsMs, step: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    return step().finally(() => void (timings[key] += performance.now() - start));
  };
  try {
    // Cases velocity does not scope, known from the flags alone.
    let flagReason: FullPlanReason | undefined;
    if (!flags.refresh) flagReason = { kind: 'no-refresh-flag' };
    else if (flags.destroy) flagReason = { kind: 'destroy-flag' };
    else if (flags.refreshOnly && flags.targets.length === 0 && (options.changed ?? []).length === 0 && options.driftCheck !== true) flagReason = { kind: 'refresh-only-flag' };
    const scoping = strategy !== 'full' && flagReason === undefined;

    // 1. The state. NOTE: a plain local backend's file is read directly (same bytes as `state pull`, one process
    // less), under Terraform's lock; a legacy `-state` flag means the user points elsewhere: `state pull` decides.
    const userFile = options.graph === undefined && options.stateFile !== undefined ? resolve(cwd, options.stateFile) : undefined;
    const localPath = options.graph === undefined && userFile === undefined && !flags.legacyState ? plainLocalStatePath(workDir, env) : undefined;
    const readState = (): Promise<StateRead> => {
      if (options.graph) return Promise.resolve({ graph: options.graph, source: 'graph' });
      if (userFile !== undefined) return guardGraph(() => loadStateGraph(userFile, { env }), 'file');
      if (localPath !== undefined) return readLocal(localPath, flags, options.signal, env);
      // NOTE: inject mode copies instances by byte span, so the pulled bytes are kept in the plan's temp directory
      // (written as they stream: O(state) disk, no second pull).
      return pulled(found.path, globalArgs, { cwd, env, ...signal }, mode === 'auto' || mode === 'inject' ? join(tmp, 'pulled.tfstate') : undefined);
    };
    // NOTE: the state read and the probe run concurrently (velocity's overhead is the slower of the two), except
    // when the read holds Terraform's local lock: a probe plan started meanwhile would fail to take it.
    const stateP = timed('load', readState);
    stateP.catch(() => {});
    const graphP = stateP.then((s) => s.graph, () => undefined);
    let memo: Promise<LoadedState | undefined> | undefined;
    const ctx: DetectContext = {
      binary: found.path, globalArgs, planArgs: flags.probe, targets: flags.targets, changed: [...(options.changed ?? [])], cwd, env, tmpDir: tmp,
      workingDir: workDir, varArgs: flags.vars, ...signal,
      // NOTE: a getter, so detectors that never read records (explicit, probe) never build them from a snapshot.
      get state() {
        return (memo ??= graphP.then((g) => (g ? loadedStateOf(g) : undefined)));
      },
    };
    const detect = (): Promise<DetectResult> => {
      if (options.detection) return Promise.resolve(options.detection);
      const detector = explicitDetector.applies(ctx) ? explicitDetector : (options.detector ?? defaultDetector());
      return timed('detect', () => detector.detect(ctx));
    };
    if (scoping) {
      // A state locked past -lock-timeout runs in full anyway: no probe (it would fail on the same lock).
      detectionP = localPath !== undefined && flags.lock ? stateP.then((s) => (s.reason?.kind === 'state-locked' ? undefined : detect())) : detect();
      detectionP.catch(() => {});
    }
    const [version, state] = await Promise.all([versionP, stateP]);
    const binary = { path: found.path, flavor: version.flavor, version: version.version };
    const graph = state.graph;
    const total = graph?.size ?? 0;
    if (userFile !== undefined) checkLineage(userFile, workDir, env, graph);

    const base = { subcommand, binary, version, flags, globalArgs, cwd, env, stdin: options.stdin ?? 'ignore', graph, total, tmpDir: tmp, dispose, stateSource: state.source, userStateFile: userFile !== undefined, timings } as const;
    const fullCommand = [...globalArgs, subcommand, ...flags.rest, ...flags.targets.map((t) => `-target=${t}`)];
    const full = (reason: FullPlanReason | undefined, detection?: DetectResult, changeScope?: RefreshScope): PreparedPlan => {
      let scope: RefreshScope | undefined;
      return {
        ...base, detection, changeScope,
        // NOTE: built on first use (O(N log N) and a reason per instance): only a caller that locks pays for it.
        get scope() {
          return (scope ??= fullScope(graph, reason === undefined ? undefined : fullPlanReasonText(reason, version.flavor)));
        },
        execution: { mode: 'full', command: fullCommand, ...(reason !== undefined ? { reason } : {}) },
      };
    };

    // 2. Cases velocity does not scope.
    let reason: FullPlanReason | undefined = strategy === 'full' ? undefined : flagReason ?? state.reason ?? (graph ? undefined : { kind: 'no-state' });
    if (!scoping || reason !== undefined || !graph || !detectionP) {
      await detectionP?.catch(() => undefined); // never leave a probe running
      return full(reason);
    }

    // 3. What changed.
    const detection = await detectionP;
    if (!detection) return full(undefined);
    if (detection.failure) return { ...base, detection, changeScope: undefined, scope: fullScope(undefined), execution: { mode: 'replay', failure: detection.failure } };
    if (detection.fallback) return full({ kind: 'detector', reason: detection.fallback.reason }, detection);

    // 4. Scope. Addresses not in the state (resources to create, new modules) are targeted as given.
    const scopeStart = performance.now();
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
    if (userFile !== undefined && detection.creates !== undefined) {
      const creates = new Set(detection.creates);
      const missing = extras.filter((a) => !creates.has(a));
      if (missing.length > 0) throw new StateMismatchError(options.stateFile as string, `the change updates ${missing.length} instance(s) it does not contain (${missing.slice(0, 3).join(', ')})`);
    }
    const userTargets = new Set(flags.targets);
    let request: RefreshScopeRequest = { targets: inState.filter((a) => userTargets.has(a)), changed: inState.filter((a) => !userTargets.has(a)) };
    // The budget's choice joins the request as seeds (reason drift-budget).
    if (options.driftBudget !== undefined) {
      request = await withDriftBudget(graph, request, { budget: options.driftBudget, historyPath: refreshHistoryPathOf({ cwd, flags }, options.refreshHistory), alone: options.driftCheck === true });
    }
    // Inject mode: a sub-workspace holding only the cone, when everything it keeps can be carried over.
    let injectFallback: string | undefined;
    if (mode === 'auto' || mode === 'inject') {
      const statePath = options.graph !== undefined ? options.statePath : userFile ?? localPath ?? state.copy;
      const why = injectPrecondition(flags, statePath, env, options.driftCheck === true);
      if (why !== undefined) injectFallback = why;
      else {
        const scope = new VelocityEngine(graph).computeRefreshScope(request);
        // NOTE: also with nothing to refresh (only creates or outputs change): the sub-workspace plans them at O(cone),
        // where the real workspace's `plan -refresh=false` walks the whole state.
        if (scope.refresh.length > 0 || extras.length > 0 || detection.outputs === undefined || detection.outputs.length > 0) {
          const dir = join(workDir, '.velocity', 'work', runId());
          ignoreVelocityDir(join(workDir, '.velocity'));
          // NOTE: an apply's sub-workspace outlives the run: its state is merged afterwards (or kept for `velocity merge`).
          subDir = { dir, keep: flags.out !== undefined || subcommand === 'apply' };
          const started = performance.now();
          const synth = await synthesizeSubWorkspace({
            graph, statePath: statePath as string, refresh: scope.refresh, creates: extras, workingDir: workDir, outDir: dir,
            ...(detection.outputs !== undefined ? { changedOutputs: detection.outputs } : {}),
            workspace: workspaceOf(workDir, env), binary: found.path, env, savedPlan: flags.out !== undefined, ...signal,
          }).catch((error: unknown) => {
            // NOTE: an I/O failure writing the sub-workspace (a read-only workspace, a full disk) costs the
            // optimization, not the plan: -target runs on the real workspace instead.
            if (error instanceof VelocityError || !(error instanceof Error) || !('code' in error)) throw error;
            return { kind: 'blocked' as const, reason: `the sub-workspace could not be written (${error.message})` };
          });
          timings.synthesize = performance.now() - started;
          if (synth.kind === 'written') {
            timings.scope = started - scopeStart;
            const sub: SubWorkspace = { dir, keep: subDir.keep, kept: synth.kept, extra: synth.extra, literals: synth.literals, outputs: synth.outputs, synthesizeMs: timings.synthesize };
            const wider = withKeptWhole(scope, synth.extra);
            await writeSubWorkspaceManifest(dir, {
              format: 'velocity-sub-workspace', version: 1, workingDir: workDir, lineage: graph.meta.lineage, serial: graph.meta.serial,
              sliceLineage: synth.sliceLineage, dependencies: synth.dependencies, refresh: wider.refresh, static: wider.static, createdAt: new Date().toISOString(), resources: synth.owned, outputs: synth.outputs,
            });
            const command = [subcommand, ...relocatePlanArgs(flags.rest, workDir), ...flags.targets.map((t) => `-target=${t}`)];
            return { ...base, detection, changeScope: scope, scope: wider, execution: { mode: 'inject', command, sub } };
          }
          rmSync(dir, { recursive: true, force: true });
          subDir = undefined;
          injectFallback = synth.reason;
        }
      }
    }
    // NOTE: staticInjection false: a -target plan refreshes every dependency of a target, so the upstream inputs are
    // in `refresh` (reason not-injectable), never reported as served from state, and locked.
    const scope = new VelocityEngine(graph).computeRefreshScope({ ...request, staticInjection: false });
    const coneIds: number[] = [];
    for (const a of scope.refresh) {
      if (scope.reasons.get(a)?.kind === 'not-injectable') continue; // pulled in by the targets themselves
      const id = graph.index.idOf(a);
      if (id !== undefined) coneIds.push(id);
    }
    if (coneIds.length === graph.size && graph.size > 0) {
      timings.scope = performance.now() - scopeStart - timings.synthesize; // a failed synthesis is its own step
      return full({ kind: 'cone-covers-state' }, detection, scope);
    }

    const choice = chooseTargets(graph.index, coneIds, extras.map((a) => widenUnkeyed(graph, a)));
    timings.scope = performance.now() - scopeStart - timings.synthesize; // a failed synthesis is its own step
    const planBase = [...globalArgs, subcommand, ...flags.rest];
    let execution: ExecutionPlan;
    if (choice.targets.length === 0) {
      // Nothing in the state is affected: plan without refreshing (creates and outputs still show).
      execution = { mode: 'no-refresh', command: [...planBase, '-refresh=false'] };
    } else {
      // NOTE: Terraform >= 1.17 reads only what the targets need with -minimal-refresh; the user's own -minimal-refresh(=false) wins.
      const minimal = version.supportsMinimalRefresh && flags.minimalRefresh === undefined ? ['-minimal-refresh'] : [];
      const used = envCost(env) + argCost(found.path) + [...planBase, ...minimal].reduce((n, a) => n + argCost(a), 0);
      const targetArgs = buildTargetArgs(choice.targets, {
        supportsTargetFile: version.supportsTargetFile, tmpDir: tmp, usedBytes: used,
        ...(options.argMaxBytes !== undefined ? { argMaxBytes: options.argMaxBytes } : {}),
      });
      if (targetArgs.kind === 'too-long') return full({ kind: 'targets-too-long', count: choice.targets.length, bytes: targetArgs.bytes, limit: targetArgs.limit }, detection, scope);
      execution = { mode: 'target', command: [...planBase, ...minimal, ...targetArgs.args], targets: choice.targets, choice, ...(injectFallback !== undefined ? { injectFallback } : {}), ...(minimal.length > 0 ? { minimalRefresh: true as const } : {}) };
    }
    return { ...base, detection, changeScope: scope, scope, execution };
  } catch (error) {
    await detectionP?.catch(() => undefined);
    dispose();
    throw error;
  }
}

/** Why inject mode cannot run at all with these flags and this state (before looking at the configuration). */
function injectPrecondition(flags: BinaryPlanFlags, statePath: string | undefined, env: NodeJS.ProcessEnv, driftCheck: boolean): string | undefined {
  if (flags.legacyState) return 'the legacy -state/-state-out flags point the binary at another state';
  // NOTE: a drift run's -refresh-only plan is meant to read only the slice (its plan file is never applied: -out is refused).
  if (flags.refreshOnly && !driftCheck) return 'a -refresh-only plan reads every instance it keeps; -target keeps its meaning';
  if (flags.replaces.length > 0) return '-replace names instances of the real workspace';
  if (flags.rest.some((a) => /^-{1,2}generate-config-out(=|$)/.test(a))) return '-generate-config-out writes configuration into the workspace';
  if (statePath === undefined) return 'the state was given as a graph without its file (statePath)';
  if (env['TF_DATA_DIR'] !== undefined) return 'TF_DATA_DIR is set (the sub-workspace keeps its own .terraform)';
  return undefined;
}

/** `terraform.workspace` of a working directory: TF_WORKSPACE, else `.terraform/environment`, else default. O(1). */
function workspaceOf(workDir: string, env: NodeJS.ProcessEnv): string {
  if (env['TF_WORKSPACE']) return env['TF_WORKSPACE'];
  try {
    return readFileSync(join(workDir, '.terraform', 'environment'), 'utf8').trim() || 'default';
  } catch {
    return 'default';
  }
}

/**
 * A create named without the instance keys of a module call the state holds instances of (`module.svc.x.y` for
 * `module.svc["a"]`...) is targeted as the module call: `-target=module.svc.x.y` would match no instance at all.
 * O(1) for a root address, one resolve otherwise.
 */
function widenUnkeyed(graph: StateGraph, address: string): string {
  let t;
  try {
    t = parseTarget(address);
  } catch {
    return address;
  }
  const steps = targetModule(t);
  for (let i = 0; i < steps.length; i++) {
    if ((steps[i] as ModuleStep).key !== undefined) continue;
    const call = formatModulePath(steps.slice(0, i + 1));
    try {
      const [id] = graph.resolve([call]);
      // The call's instances in the state have keys at this step: the address names none of them.
      if (id !== undefined && parseModulePath(graph.index.record(id).module)[i]?.key !== undefined) return call;
    } catch {
      return address;
    }
  }
  return address;
}


/** A sortable, unique run id: UTC time then random hex (`20261202T003412Z-9f3a1c`). */
function runId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

/** `scope` with the instances the sub-workspace keeps beyond it (resources kept whole) added to `refresh`. O(refresh + extra). */
function withKeptWhole(scope: RefreshScope, extra: readonly string[]): RefreshScope {
  if (extra.length === 0) return scope;
  const reasons = new Map(scope.reasons);
  const statics = new Set(extra);
  // NOTE: not-injectable: counted as refreshed, but not part of the change cone proper (the savings line says so).
  for (const a of extra) reasons.set(a, { kind: 'not-injectable', of: a });
  const refresh = [...scope.refresh, ...extra].sort();
  const stat = scope.static.filter((a) => !statics.has(a));
  return { ...scope, refresh, static: stat, untouched: scope.total - refresh.length - stat.length, reasons, savings: scope.total === 0 ? 0 : 1 - refresh.length / scope.total };
}

/** A plain local backend's state: under Terraform's lock unless -lock=false; a lock held past -lock-timeout → full. */
async function readLocal(path: string, flags: BinaryPlanFlags, signal: AbortSignal | undefined, env: NodeJS.ProcessEnv): Promise<StateRead> {
  let read;
  try {
    read = await readLocalState(path, { lock: flags.lock, lockTimeoutMs: flags.lockTimeoutMs, ...(signal ? { signal } : {}), loadOptions: { env } });
  } catch (error) {
    if (!isGraphError(error)) throw error;
    return { graph: undefined, source: 'read-under-lock', reason: { kind: 'state-unscopable', message: error.message } };
  }
  if (read.kind === 'locked') return { graph: undefined, source: 'read-under-lock', reason: { kind: 'state-locked', holder: read.holder } };
  return { graph: read.loaded.graph, source: read.underLock ? 'read-under-lock' : 'read-unlocked' };
}

/** `<bin> state pull`, streamed into the scanner. A failed pull is not replayed: the plan runs and shows the error. */
async function pulled(binary: string, globalArgs: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; signal?: AbortSignal }, copyTo?: string): Promise<StateRead> {
  const pull = pullState(binary, globalArgs, options);
  let graph: StateGraph | undefined;
  let failure: unknown;
  let reason: FullPlanReason | undefined;
  const fd = copyTo === undefined ? undefined : openSync(copyTo, 'w');
  async function* teed(): AsyncGenerator<Uint8Array> {
    for await (const chunk of pull.chunks) {
      if (fd !== undefined) writeSync(fd, chunk);
      yield chunk;
    }
  }
  try {
    graph = (await loadStateGraph(teed(), { sourceName: '`state pull`' })).graph;
  } catch (error) {
    failure = error;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const exit = await pull.exited;
  // NOTE: a failed `state pull` (broken configuration, backend not initialized) is not replayed: the plan itself
  // runs instead, so the user sees the binary's own error in the format their flags ask for.
  if (exit.exitCode !== 0) return { graph: undefined, source: 'state-pull', reason: { kind: 'state-pull-failed', exitCode: exit.exitCode } };
  if (failure !== undefined) {
    if (failure instanceof VelocityError && failure.code === 'STATE_EMPTY') return { graph: undefined, source: 'state-pull' }; // no state yet
    if (!isGraphError(failure)) throw failure;
    reason = { kind: 'state-unscopable', message: failure.message };
  }
  return { graph, source: 'state-pull', ...(reason ? { reason } : {}), ...(copyTo !== undefined ? { copy: copyTo } : {}) };
}

/** `--state FILE` of another lineage than the workspace's own local state is refused. O(1) (one 64 KiB read). */
function checkLineage(userFile: string, workDir: string, env: NodeJS.ProcessEnv, graph: StateGraph | undefined): void {
  const own = plainLocalStatePath(workDir, env);
  if (own === undefined || resolve(own) === userFile || graph === undefined) return;
  const lineage = headLineage(own);
  if (lineage !== undefined && lineage !== '' && graph.meta.lineage !== '' && lineage !== graph.meta.lineage) {
    throw new StateMismatchError(userFile, `its lineage ${graph.meta.lineage} is not the workspace state's ${lineage}`);
  }
}
