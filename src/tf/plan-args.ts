// Splits `velocity plan` argv into velocity's own `--flags` and the binary's flags, which pass through verbatim,
// and reads the few binary flags velocity must know about (-target, -out, -json, -detailed-exitcode...).
// Guarantees: the pass-through list keeps the user's order and spelling; nothing unknown is dropped.

import type { VarArg } from '../config/root-variables.js';
import { UsageError } from '../errors.js';
import { parsePlanMode, resolvePlanMode, type PlanMode } from './plan-mode.js';

/** velocity's own options for `velocity plan`. */
export interface VelocityPlanFlags {
  /** `--state FILE`: read the state from a file instead of `<bin> state pull`. */
  state?: string;
  /** `--changed ADDR` (repeatable): addresses whose configuration changed; skips the probe. */
  changed: string[];
  /** `--binary PATH`: the tofu/terraform binary. */
  binary?: string;
  /** `--refresh-strategy full|optimized`; kept equal to `mode` (`full` iff mode full). @default 'optimized' */
  strategy: 'full' | 'optimized';
  /** `--mode auto|inject|target|full` (`--refresh-strategy full` = full, `optimized` = auto; see resolvePlanMode). @default 'auto' */
  mode: PlanMode;
  /** `--report FILE`: write the plan's JSON report (planReport) to FILE after the plan. */
  report?: string;
  /** `--verbose-refresh`: list every resource as refreshed or cached. */
  verboseRefresh: boolean;
  /** `--dry-run-refresh`: print the scope, run no plan. */
  dryRun: boolean;
  /** `--probe show-json|stream`: how the probe finds changes (see probeDetector, streamProbeDetector). @default 'show-json' */
  probe: 'show-json' | 'stream';
  /** `--help`. */
  help: boolean;
  /** `--drift-budget K` (an integer >= 1): also refresh the ⌈N/K⌉ instances refreshed longest ago. */
  driftBudget?: number;
  /** `--lock-scope cone|state`: what an inject-mode run locks on a velocity server. @default 'cone' */
  lockScope: 'cone' | 'state';
}

/** What velocity reads from the binary's flags (the flags themselves still pass through). */
export interface BinaryPlanFlags {
  /** `-target` values, in order. */
  targets: string[];
  /** `-minimal-refresh` as given (Terraform >= 1.17); undefined when absent (velocity may add it in target mode). */
  minimalRefresh?: boolean;
  /** `-replace` values. */
  replaces: string[];
  /** `-out` value. */
  out?: string;
  /** `-chdir` (a global option; velocity moves it before `plan`). */
  chdir?: string;
  /** `-var` / `-var-file`, in command-line order (the ONE parse of them: detectors read this, not argv). */
  vars: VarArg[];
  /** false when `-lock=false`. */
  lock: boolean;
  /** `-lock-timeout` in ms. @default 0 (Terraform's default: fail at once) */
  lockTimeoutMs: number;
  /** The legacy `-state`/`-state-out` flags are present: the state is not where the backend says. */
  legacyState: boolean;
  json: boolean;
  noColor: boolean;
  detailedExitcode: boolean;
  /** false when `-refresh=false`. */
  refresh: boolean;
  refreshOnly: boolean;
  destroy: boolean;
  /** Arguments that are not flags (for apply: the saved plan file), in order; they are in `rest` too. */
  positionals: string[];
  /** `-auto-approve` (apply). */
  autoApprove: boolean;
  /** Every binary flag except -target and -chdir, verbatim and in order (velocity adds its own -target). */
  rest: string[];
  /** `rest` without the flags a probe plan must not get (-out, -detailed-exitcode, -refresh, -input, -refresh-only). */
  probe: string[];
}

/**
 * Flags a probe plan (`plan -refresh=false -out=TMP`) drops: it sets its own or they would change its meaning
 * (`-minimal-refresh` is about refreshing, which a probe does not do).
 */
const NOT_FOR_PROBE = new Set(['out', 'detailed-exitcode', 'refresh', 'input', 'refresh-only', 'generate-config-out', 'minimal-refresh', 'auto-approve']);

export interface SplitPlanArgs {
  velocity: VelocityPlanFlags;
  binary: BinaryPlanFlags;
  /** The binary's arguments exactly as given (with -target and -chdir), for handing to velocityPlan. */
  binaryArgv: string[];
}

const VELOCITY_VALUE_FLAGS = new Set(['state', 'changed', 'binary', 'refresh-strategy', 'mode', 'probe', 'report', 'drift-budget', 'lock-scope']);
const VELOCITY_BOOL_FLAGS = new Set(['verbose-refresh', 'dry-run-refresh', 'help']);
/** Binary plan flags that take a value, so `-flag value` consumes the next argument. */
const BINARY_VALUE_FLAGS = new Set([
  'var', 'var-file', 'target', 'replace', 'out', 'lock-timeout', 'parallelism', 'state', 'state-out', 'backup',
  'generate-config-out', 'chdir', 'exclude', 'target-file', 'exclude-file', 'consolidate-warnings', 'consolidate-errors',
]);

/**
 * Every flag `tofu plan` / `terraform plan` documents (Terraform 1.11, OpenTofu 1.10), plus the global -chdir.
 * Only a double-dash spelling is checked against it: a `--name` that is neither velocity's nor listed here is
 * a mistyped velocity option far more often than a binary flag. Single-dash flags pass through unchecked.
 */
const BINARY_PLAN_FLAGS = new Set([
  ...BINARY_VALUE_FLAGS,
  'destroy', 'refresh-only', 'refresh', 'compact-warnings', 'detailed-exitcode', 'input', 'json', 'lock', 'no-color',
  'concise', 'show-sensitive', 'deprecation', 'allow-deferral', 'light', 'minimal-refresh', 'auto-approve',
]);

function parseBool(value: string | undefined, flag: string): boolean {
  if (value === undefined) return true;
  if (/^(1|t|true)$/i.test(value)) return true;
  if (/^(0|f|false)$/i.test(value)) return false;
  throw new UsageError(`-${flag} expects true or false, got ${JSON.stringify(value)}`);
}

/** `-lock-timeout=30s` in ms, as Go's time.ParseDuration reads it (`0`, `500ms`, `1m30s`); 0 when unparseable. */
function lockTimeoutOf(value: string | undefined): number {
  if (value === undefined) return 0;
  const parts = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/.test(value) ? value.match(/\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h)/g) : value === '0' ? [] : null;
  // NOTE: a value Go cannot parse is the binary's error to report, in the user's format; velocity just does not wait.
  if (parts === null) return 0;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return parts.reduce((ms, p) => {
    const m = /^(\d+(?:\.\d+)?)(\D+)$/.exec(p) as RegExpExecArray;
    return ms + Number(m[1]) * (unit[m[2] as string] as number);
  }, 0);
}

/** `--drift-budget K`: a whole number of runs >= 1 (decimal digits only). O(1). @throws UsageError */
export function parseDriftBudget(value: string): number {
  const k = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(k) || k < 1) throw new UsageError(`--drift-budget must be a whole number of runs >= 1, got ${JSON.stringify(value)}`);
  return k;
}

/**
 * Splits argv. velocity's flags are the double-dash names above; everything else is the binary's and passes through
 * (Go's flag package accepts `-x` and `--x` alike). Arguments after `--` all pass through. With `velocityFlags: false`
 * every argument is the binary's (for argv that was split already). O(argv).
 * @throws UsageError for a velocity flag missing its value, a bad --refresh-strategy or --mode, the two contradicting
 * (resolvePlanMode), and for a double-dash
 * flag that is neither velocity's nor a plan flag of the binary (pass such a flag after `--`, or with one dash).
 */
export function splitPlanArgs(argv: readonly string[], options: { velocityFlags?: boolean } = {}): SplitPlanArgs {
  const ours = options.velocityFlags ?? true;
  const velocity: VelocityPlanFlags = { changed: [], strategy: 'optimized', mode: 'auto', verboseRefresh: false, dryRun: false, probe: 'show-json', help: false, lockScope: 'cone' };
  let strategy: VelocityPlanFlags['strategy'] | undefined;
  let mode: PlanMode | undefined;
  const binary: BinaryPlanFlags = {
    targets: [], replaces: [], json: false, noColor: false, detailedExitcode: false, refresh: true, refreshOnly: false,
    destroy: false, rest: [], probe: [], vars: [], lock: true, lockTimeoutMs: 0, legacyState: false, positionals: [], autoApprove: false,
  };
  const binaryArgv: string[] = [];
  let passAll = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (passAll) {
      binaryArgv.push(arg);
      binary.rest.push(arg);
      binary.probe.push(arg);
      if (!arg.startsWith('-')) binary.positionals.push(arg);
      continue;
    }
    if (arg === '--' && ours) {
      passAll = true;
      continue;
    }
    const m = /^(-{1,2})([A-Za-z][A-Za-z0-9-]*)(?:=([\s\S]*))?$/.exec(arg);
    if (!m) {
      binaryArgv.push(arg);
      binary.rest.push(arg); // a positional: the binary decides what it means
      binary.probe.push(arg);
      binary.positionals.push(arg);
      continue;
    }
    const [, dashes, name = '', inline] = m;
    if (ours && dashes === '--' && (VELOCITY_VALUE_FLAGS.has(name) || VELOCITY_BOOL_FLAGS.has(name))) {
      if (VELOCITY_BOOL_FLAGS.has(name)) {
        if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
        if (name === 'verbose-refresh') velocity.verboseRefresh = true;
        else if (name === 'dry-run-refresh') velocity.dryRun = true;
        else velocity.help = true;
        continue;
      }
      let value = inline;
      if (value === undefined) {
        value = argv[i + 1];
        if (value === undefined) throw new UsageError(`--${name} needs a value`);
        i++;
      }
      if (name === 'state') velocity.state = value;
      else if (name === 'changed') velocity.changed.push(value);
      else if (name === 'binary') velocity.binary = value;
      else if (name === 'probe') {
        if (value !== 'show-json' && value !== 'stream') throw new UsageError(`--probe must be show-json or stream, got ${JSON.stringify(value)}`);
        velocity.probe = value;
      }
      else if (name === 'mode') mode = parsePlanMode(value);
      else if (name === 'lock-scope') {
        if (value !== 'cone' && value !== 'state') throw new UsageError(`--lock-scope must be cone or state, got ${JSON.stringify(value)}`);
        velocity.lockScope = value;
      }
      else if (name === 'drift-budget') velocity.driftBudget = parseDriftBudget(value);
      else if (name === 'report') {
        if (value === '') throw new UsageError('--report needs a file name');
        velocity.report = value;
      }
      else if (value === 'full' || value === 'optimized') strategy = value;
      else throw new UsageError(`--refresh-strategy must be full or optimized, got ${JSON.stringify(value)}`);
      continue;
    }
    if (ours && dashes === '--' && !BINARY_PLAN_FLAGS.has(name)) {
      throw new UsageError(
        `unknown option --${name}: not a velocity plan option (--${[...VELOCITY_VALUE_FLAGS, ...VELOCITY_BOOL_FLAGS].sort().join(', --')}) ` +
          `nor a tofu/terraform plan flag; a binary flag velocity does not know passes through as -${name} or after --`,
      );
    }
    // A binary flag: note what velocity needs, keep the spelling.
    let value = inline;
    const words = [arg];
    if (value === undefined && BINARY_VALUE_FLAGS.has(name) && i + 1 < argv.length) {
      value = argv[i + 1] as string;
      words.push(value);
      i++;
    }
    binaryArgv.push(...words);
    switch (name) {
      case 'target':
        if (value !== undefined) binary.targets.push(value);
        continue; // velocity passes its own -target list
      case 'chdir':
        binary.chdir = value;
        continue;
      case 'replace':
        if (value !== undefined) binary.replaces.push(value);
        break;
      case 'out':
        binary.out = value;
        break;
      case 'json':
        binary.json = parseBool(value, name);
        break;
      case 'no-color':
        binary.noColor = parseBool(value, name);
        break;
      case 'detailed-exitcode':
        binary.detailedExitcode = parseBool(value, name);
        break;
      case 'refresh':
        binary.refresh = parseBool(value, name);
        break;
      case 'refresh-only':
        binary.refreshOnly = parseBool(value, name);
        break;
      case 'destroy':
        binary.destroy = parseBool(value, name);
        break;
      case 'minimal-refresh':
        binary.minimalRefresh = parseBool(value, name);
        break;
      case 'var':
        if (value !== undefined) binary.vars.push({ kind: 'var', value });
        break;
      case 'var-file':
        if (value !== undefined) binary.vars.push({ kind: 'file', path: value });
        break;
      case 'lock':
        binary.lock = parseBool(value, name);
        break;
      case 'lock-timeout':
        binary.lockTimeoutMs = lockTimeoutOf(value);
        break;
      case 'auto-approve':
        binary.autoApprove = parseBool(value, name);
        break;
      case 'state':
      case 'state-out':
      case 'backup':
        binary.legacyState = true;
        break;
      default:
        break;
    }
    binary.rest.push(...words);
    if (!NOT_FOR_PROBE.has(name)) binary.probe.push(...words);
  }
  velocity.mode = resolvePlanMode(strategy, mode);
  velocity.strategy = velocity.mode === 'full' ? 'full' : 'optimized';
  return { velocity, binary, binaryArgv };
}

/** The user's flags back as argv for a pass-through run: -chdir is global (before `plan`), targets restored. O(n). */
export function passthroughPlanArgv(flags: BinaryPlanFlags): { global: string[]; plan: string[] } {
  return {
    global: flags.chdir === undefined ? [] : [`-chdir=${flags.chdir}`],
    plan: [...flags.rest, ...flags.targets.map((t) => `-target=${t}`)],
  };
}
