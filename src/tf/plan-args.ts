// Splits `velocity plan` argv into velocity's own `--flags` and the binary's flags, which pass through verbatim,
// and reads the few binary flags velocity must know about (-target, -out, -json, -detailed-exitcode...).
// Guarantees: the pass-through list keeps the user's order and spelling; nothing unknown is dropped.

import { UsageError } from '../errors.js';

/** velocity's own options for `velocity plan`. */
export interface VelocityPlanFlags {
  /** `--state FILE`: read the state from a file instead of `<bin> state pull`. */
  state?: string;
  /** `--changed ADDR` (repeatable): addresses whose configuration changed; skips the probe. */
  changed: string[];
  /** `--binary PATH`: the tofu/terraform binary. */
  binary?: string;
  /** `--refresh-strategy full|optimized`. @default 'optimized' */
  strategy: 'full' | 'optimized';
  /** `--verbose-refresh`: list every resource as refreshed or cached. */
  verboseRefresh: boolean;
  /** `--dry-run-refresh`: print the scope, run no plan. */
  dryRun: boolean;
  /** `--probe show-json|stream`: how the probe finds changes (see probeDetector, streamProbeDetector). @default 'show-json' */
  probe: 'show-json' | 'stream';
  /** `--help`. */
  help: boolean;
}

/** What velocity reads from the binary's flags (the flags themselves still pass through). */
export interface BinaryPlanFlags {
  /** `-target` values, in order. */
  targets: string[];
  /** `-replace` values. */
  replaces: string[];
  /** `-out` value. */
  out?: string;
  /** `-chdir` (a global option; velocity moves it before `plan`). */
  chdir?: string;
  json: boolean;
  noColor: boolean;
  detailedExitcode: boolean;
  /** false when `-refresh=false`. */
  refresh: boolean;
  refreshOnly: boolean;
  destroy: boolean;
  /** Every binary flag except -target and -chdir, verbatim and in order (velocity adds its own -target). */
  rest: string[];
  /** `rest` without the flags a probe plan must not get (-out, -detailed-exitcode, -refresh, -input, -refresh-only). */
  probe: string[];
}

/** Flags a probe plan (`plan -refresh=false -out=TMP`) drops: it sets its own or they would change its meaning. */
const NOT_FOR_PROBE = new Set(['out', 'detailed-exitcode', 'refresh', 'input', 'refresh-only', 'generate-config-out']);

export interface SplitPlanArgs {
  velocity: VelocityPlanFlags;
  binary: BinaryPlanFlags;
  /** The binary's arguments exactly as given (with -target and -chdir), for handing to velocityPlan. */
  binaryArgv: string[];
}

const VELOCITY_VALUE_FLAGS = new Set(['state', 'changed', 'binary', 'refresh-strategy', 'probe']);
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
  'concise', 'show-sensitive', 'deprecation', 'allow-deferral', 'light',
]);

function parseBool(value: string | undefined, flag: string): boolean {
  if (value === undefined) return true;
  if (/^(1|t|true)$/i.test(value)) return true;
  if (/^(0|f|false)$/i.test(value)) return false;
  throw new UsageError(`-${flag} expects true or false, got ${JSON.stringify(value)}`);
}

/**
 * Splits argv. velocity's flags are the double-dash names above; everything else is the binary's and passes through
 * (Go's flag package accepts `-x` and `--x` alike). Arguments after `--` all pass through. With `velocityFlags: false`
 * every argument is the binary's (for argv that was split already). O(argv).
 * @throws UsageError for a velocity flag missing its value or a bad --refresh-strategy, and for a double-dash
 * flag that is neither velocity's nor a plan flag of the binary (pass such a flag after `--`, or with one dash).
 */
export function splitPlanArgs(argv: readonly string[], options: { velocityFlags?: boolean } = {}): SplitPlanArgs {
  const ours = options.velocityFlags ?? true;
  const velocity: VelocityPlanFlags = { changed: [], strategy: 'optimized', verboseRefresh: false, dryRun: false, probe: 'show-json', help: false };
  const binary: BinaryPlanFlags = {
    targets: [], replaces: [], json: false, noColor: false, detailedExitcode: false, refresh: true, refreshOnly: false,
    destroy: false, rest: [], probe: [],
  };
  const binaryArgv: string[] = [];
  let passAll = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (passAll) {
      binaryArgv.push(arg);
      binary.rest.push(arg);
      binary.probe.push(arg);
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
      else if (value === 'full' || value === 'optimized') velocity.strategy = value;
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
      default:
        break;
    }
    binary.rest.push(...words);
    if (!NOT_FOR_PROBE.has(name)) binary.probe.push(...words);
  }
  return { velocity, binary, binaryArgv };
}

/** The user's flags back as argv for a pass-through run: -chdir is global (before `plan`), targets restored. O(n). */
export function passthroughPlanArgv(flags: BinaryPlanFlags): { global: string[]; plan: string[] } {
  return {
    global: flags.chdir === undefined ? [] : [`-chdir=${flags.chdir}`],
    plan: [...flags.rest, ...flags.targets.map((t) => `-target=${t}`)],
  };
}
