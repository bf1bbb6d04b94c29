// Every sentence velocity says about a plan: savings line, scope reasons, fallbacks, "Velocity: ..." lines, dry-run
// and verbose-refresh listings. Guarantees: it decides nothing; listings are in address order; an instance the
// binary refreshes (or, in a dry run, may refresh) is never said to be served from state.

import type { ScopeReason } from '../engine/refresh-scope.js';
import type { DetectResult } from '../detect/change-detector.js';
import type { Reduction } from '../cone/reduction.js';
import { reduction } from '../cone/reduction.js';
import type { TargetChoice } from '../tf/choose-targets.js';
import type { FullPlanReason, PreparedPlan, SubWorkspace } from './prepared-plan.js';
import type { LedgerOutcome } from './record-ledger.js';
import type { CommitResult } from '../apply/commit-sub-state.js';

/** `Refreshing state... [Velocity: 15/200 resources (92.5% savings)]`; one decimal, never rounds up to 100%. O(1). */
export function savingsLine(r: Reduction): string {
  const pct = Math.floor(r.savings * 1000) / 10;
  return `Refreshing state... [Velocity: ${r.subgraph}/${r.total} resources (${pct.toFixed(1)}% savings)]`;
}

/** Human text for a scope reason, as `--verbose` views print it. O(1). */
export function describeReason(r: ScopeReason): string {
  switch (r.kind) {
    case 'changed':
      return 'changed';
    case 'target':
      return 'targeted';
    case 'drift-budget':
      return 'refreshed longest ago (--drift-budget)';
    case 'downstream':
      return `depends on ${r.of}`;
    case 'upstream':
      return `input of ${r.of} (cached state is enough)`;
    case 'data-source':
      return `data source read by the plan of ${r.of}`;
    case 'tainted':
      return `tainted, planned for replacement with ${r.of}`;
    case 'not-injectable':
      return `input of ${r.of}; the runner cannot serve it from cache`;
    case 'full':
      return `full refresh: ${r.why}`;
  }
}

/** The sentence for a full-plan fallback. O(1). */
export function fullPlanReasonText(r: FullPlanReason, flavor: string): string {
  switch (r.kind) {
    case 'no-refresh-flag':
      return '-refresh=false: the plan reads nothing anyway';
    case 'destroy-flag':
      return '-destroy plans the destruction of every resource';
    case 'refresh-only-flag':
      return '-refresh-only without -target refreshes every resource';
    case 'state-pull-failed':
      return `\`${flavor} state pull\` failed (exit ${r.exitCode})`;
    case 'state-unscopable':
      return `the state cannot be scoped: ${r.message}`;
    case 'state-locked':
      return `the state is locked by ${r.holder.Who || 'another process'}${r.holder.Operation ? ` (${r.holder.Operation})` : ''}, so velocity could not read it; ${flavor} reports the lock`;
    case 'no-state':
      return 'there is no state yet, so there is nothing to refresh';
    case 'detector':
      return r.reason;
    case 'cone-covers-state':
      return 'the change cone covers every resource in the state';
    case 'targets-too-long':
      return `${r.count} -target arguments would take ${r.bytes} bytes, over the OS limit of ${r.limit}`;
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** Words a prepared plan and its run; `say` receives one line at a time (without newline). */
export class PlanReporter {
  readonly #say: (line: string) => void;
  readonly #flavor: string;

  constructor(say: (line: string) => void, flavor: string) {
    this.#say = say;
    this.#flavor = flavor;
  }

  /** How the change was found. */
  detection(d: DetectResult): void {
    const how = d.source === 'probe' ? 'probe `plan -refresh=false` + `show -json`, no resource refreshed' : d.source === 'stream-probe' ? 'probe `plan -refresh=false -json`, no resource refreshed' : d.source;
    if (d.note !== undefined) this.#say(`Velocity: ${d.note}`);
    this.#say(`Velocity: change detection (${how}) took ${seconds(d.tookMs)}: ${d.changed.length} changed`);
  }

  /** What `--drift-budget` added to the scope, when it added anything. O(|reasons|). */
  driftBudget(scope: PreparedPlan['scope']): void {
    let n = 0;
    for (const r of scope.reasons.values()) if (r.kind === 'drift-budget') n++;
    if (n > 0) this.#say(`Velocity: drift budget: ${n} instance(s) refreshed longest ago (or never) are read fresh too`);
  }

  fullPlan(reason: FullPlanReason): void {
    this.#say(`Velocity: running the full plan: ${fullPlanReasonText(reason, this.#flavor)}`);
  }

  wouldRunFull(command: readonly string[]): void {
    this.#say(`Velocity: would run: ${this.#flavor} ${command.join(' ')}`);
  }

  nothingAffected(total: number): void {
    this.#say(`Velocity: nothing in the state is affected by the change: planning without refresh (0/${total} resources read)`);
  }

  /** The scope of a target-mode plan, before it runs. */
  targetScope(p: PreparedPlan, choice: TargetChoice): void {
    const { cone, inputs } = coneParts(p);
    const widened = choice.form === 'module-instances' ? `, widened to ${choice.targets.length} module instance(s) so ${this.#flavor} refreshes ~${choice.estimate} instead of ~${choice.alternativeEstimate}` : '';
    const upstream = inputs > 0 ? `, + ${inputs} upstream inputs counted as refreshed (a -target plan may read any of them)` : '';
    this.#say(`Velocity: change cone ${cone}/${p.total} resources${upstream}; planning with ${choice.targets.length} -target${widened}`);
  }

  /** velocity added `-minimal-refresh` to the target plan. */
  minimalRefresh(version: string): void {
    this.#say(`Velocity: ${this.#flavor} ${version} supports -minimal-refresh: passing it with the -target flags`);
  }

  /** The scope of an inject-mode plan, before it runs. */
  injectScope(p: PreparedPlan, sub: SubWorkspace): void {
    const { cone } = coneParts(p);
    const whole = sub.extra.length > 0 ? ` + ${sub.extra.length} kept whole (resources read by index or with count)` : '';
    const verb = p.subcommand === 'apply' ? 'applying in' : 'planning';
    this.#say(`Velocity: change cone ${cone}/${p.total} resources${whole}; ${verb} a sub-workspace of ${sub.kept.length} instance(s), ${sub.literals.instances} input(s) served from state as literals (written in ${seconds(sub.synthesizeMs)}${sub.keep ? `, kept in ${sub.dir}` : ''})`);
    if (p.subcommand === 'apply') this.applyingIn(sub.dir);
    else if (sub.keep) this.#say(`Velocity: the saved plan belongs to that sub-workspace: apply it with \`velocity apply\` (\`${this.#flavor} apply\` of it in this workspace is refused: its state slice has its own lineage); read it with \`${this.#flavor} -chdir=${sub.dir} show\``);
  }

  /** The dry-run listing of an inject-mode plan: what the sub-workspace refreshes, the command, the savings line. */
  dryRunInject(p: PreparedPlan, sub: SubWorkspace, command: readonly string[], verbose: boolean): void {
    const kept = new Set(sub.kept);
    if (verbose && p.graph) for (const a of p.graph.addresses()) this.#say(kept.has(a) ? `${a}: Refreshing... (sub-workspace)` : `${a}: Using cached state (not in change cone)`);
    this.#say(`Velocity: dry run, nothing executed. Would run in ${sub.dir}: ${this.#flavor} ${command.join(' ')}`);
    this.#say(`${savingsLine(reduction(sub.kept.length, p.total))} (the sub-workspace's state slice)`);
  }

  /** Why a plan asked for as inject (or auto) uses -target instead. */
  injectFallback(reason: string): void {
    this.#say(`Velocity: inject mode not used: ${reason}; planning with -target`);
  }

  /**
   * The dry-run listing: every instance with what will happen to it (when `verbose`), the targets, the command, and
   * the savings line. `estimated` = what the binary is estimated to refresh for the chosen targets.
   */
  dryRunTargets(p: PreparedPlan, choice: TargetChoice, command: readonly string[], estimated: ReadonlySet<string>, verbose: boolean): void {
    const refresh = new Set(p.scope.refresh);
    if (verbose && p.graph) {
      for (const a of p.graph.addresses()) {
        const why = p.scope.reasons.get(a);
        if (refresh.has(a)) this.#say(why?.kind === 'not-injectable' ? `${a}: Refreshing... (input of a -target)` : `${a}: Refreshing... (change cone)`);
        else if (estimated.has(a)) this.#say(`${a}: Refreshing... (${this.#flavor} -target reads it too)`);
        else this.#say(`${a}: Using cached state (not in change cone)`);
      }
    }
    for (const t of choice.targets) this.#say(`  -target=${t}`);
    this.dryRunCommand(command);
    const extra = Math.max(0, choice.estimate - p.scope.refresh.length);
    this.#say(`${savingsLine(reduction(p.scope.refresh.length, p.total))} (velocity's refresh set: the change cone and the inputs -target refreshes; ${this.#flavor} -target also reads ~${extra} more)`);
  }

  dryRunCommand(command: readonly string[]): void {
    this.#say(`Velocity: dry run, nothing executed. Would run: ${this.#flavor} ${command.join(' ')}`);
  }

  /** The savings line after the refresh phase of a run. */
  refreshed(mode: 'optimized' | 'inject' | 'full' | 'no-refresh', refreshed: ReadonlySet<string>, p: PreparedPlan, widened: boolean): void {
    const outside = (): number => refreshed.size - [...refreshed].filter((a) => inChangeCone(p, a)).length;
    const note = mode === 'inject'
      ? ` (sub-workspace: velocity's change cone ${coneParts(p).cone}${outside() > 0 ? `, + ${outside()} kept whole` : ''}; everything else served from state)`
      : mode === 'optimized'
      ? ` (velocity's change cone: ${coneParts(p).cone}; ${this.#flavor}'s -target also refreshed ${outside()} outside it: the targets' dependencies${widened ? ' and module instances' : ''})`
      : mode === 'full' ? ' (full plan)' : ' (plan without refresh)';
    this.#say(`${savingsLine(reduction(refreshed.size, p.total))}${note}`);
  }

  /** Every instance as the binary treated it (after a run: what it really refreshed). */
  verboseRun(mode: 'optimized' | 'inject' | 'full' | 'no-refresh', refreshed: ReadonlySet<string>, p: PreparedPlan): void {
    if (!p.graph) return;
    for (const a of p.graph.addresses()) {
      this.#say(refreshed.has(a) ? `${a}: Refreshing...${mode !== 'optimized' || inChangeCone(p, a) ? '' : ' (input of a -target)'}` : `${a}: Using cached state (not in change cone)`);
    }
  }

  /** Before the binary applies in a sub-workspace: where its state is if the run dies. */
  applyingIn(dir: string): void {
    this.#say(`Velocity: applying in the sub-workspace ${dir} (if this run is interrupted, \`velocity merge ${dir}\` merges what it applied)`);
  }

  /** Resource locks taken on a velocity server for this run (`*`: the whole state). */
  serverLocked(count: number, whole: boolean, origin: string, lockId: string): void {
    const what = whole ? 'the whole state' : `${count} address${count === 1 ? '' : 'es'}`;
    this.#say(`Velocity: locked ${what} on the velocity server ${origin} (lock ${lockId})`);
  }

  /** The merge of an applied sub-workspace into the real state. */
  merged(result: CommitResult, fromSerial: number): void {
    if (result.kind === 'unchanged') {
      this.#say(`Velocity: the sub-workspace's state is unchanged (nothing was applied there): the real state was not written`);
      return;
    }
    if ('rows' in result) {
      const w = result.rows;
      this.#say(`Velocity: wrote the sub-workspace's subgraph to the velocity server: serial ${fromSerial} -> ${result.serial} (version ${w.version}; instance rows: ${w.closed} closed, ${w.added} added)`);
      return;
    }
    const r = result.summary.resources;
    const o = result.summary.outputs;
    this.#say(
      `Velocity: merged the sub-workspace into the state: serial ${fromSerial} -> ${result.serial} (resources: ${r.replaced} replaced, ${r.added} added, ${r.removed} removed; outputs: ${o.replaced} replaced, ${o.added} added, ${o.removed} removed)`,
    );
  }

  /** A saved plan that could not be registered for `velocity apply FILE`. */
  savedPlanUnregistered(planFile: string, why: string): void {
    this.#say(`Velocity: ${planFile} is saved, but not registered for \`velocity apply\` (${why}): applying it records no ledger`);
  }

  /** The ledger after an apply (or a plan whose probe found no change). */
  ledger(outcome: LedgerOutcome): void {
    if (outcome.recorded) this.#say(`Velocity: ledger recorded at state serial ${outcome.serial} (${outcome.path}): the next plan compares fingerprints, no probe`);
    else this.#say(`Velocity: ledger not recorded: ${outcome.why}`);
  }

  correction(): void {
    this.#say(`Velocity: correction: ${this.#flavor} refreshed more after the line above:`);
  }

  targetingWarning(): void {
    this.#say(`Velocity: the "Resource targeting is in effect" warning is expected: velocity passed -target for the change cone only; everything outside it is unaffected by this change (--refresh-strategy=full plans everything).`);
  }

  /** The binary refreshed instances the state velocity read does not have: that state is another workspace's. */
  foreignState(foreign: readonly string[]): void {
    const shown = foreign.slice(0, 3).join(', ');
    this.#say(`Velocity: the state velocity read does not match this workspace: ${this.#flavor} refreshed ${foreign.length} instance(s) it does not contain (${shown}${foreign.length > 3 ? ', ...' : ''}); no savings are reported (check --state)`);
  }
}

/** In the change cone proper: in `refresh` for a reason other than being a -target's input. O(1). */
function inChangeCone(p: PreparedPlan, address: string): boolean {
  const why = p.scope.reasons.get(address);
  return why !== undefined && why.kind !== 'not-injectable' && why.kind !== 'upstream';
}

/** The change cone and the upstream inputs a -target plan refreshes too, within `scope.refresh`. O(|refresh|). */
function coneParts(p: PreparedPlan): { cone: number; inputs: number } {
  let inputs = 0;
  for (const a of p.scope.refresh) if (p.scope.reasons.get(a)?.kind === 'not-injectable') inputs++;
  return { cone: p.scope.refresh.length - inputs, inputs };
}
