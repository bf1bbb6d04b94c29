// One wrapper over node's util.parseArgs for every command: strict options, usage errors as UsageError (exit 2),
// and `--help` handled the same way everywhere. Guarantees: nothing on the command line is silently ignored or
// overridden: a stray positional, an unknown flag and a single-value option given twice all name themselves.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedCommandArgs<O extends Options> {
  readonly values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>['values'];
  readonly positionals: string[];
  /** `--help` was given: the caller prints `help` and returns 0. */
  readonly help: boolean;
}

/** What else a command refuses, beyond unknown flags and repeated single-value options. */
export interface CommandArgRules {
  /** Most positionals the command takes; the first one beyond is a usage error naming it. @default Infinity */
  readonly maxPositionals?: number;
  /** Said after "unexpected argument X" when there are too many positionals, e.g. how to pass an address. */
  readonly positionalHint?: string;
  /** Refuse an empty string as the value of any string option (`--state ''`). @default false */
  readonly refuseEmpty?: boolean;
}

/**
 * Parses `args` against `options` (a `help` boolean is added). O(args).
 * @throws UsageError naming the offending argument.
 */
export function parseCommandArgs<O extends Options>(args: readonly string[], options: O, usage: string, rules: CommandArgRules = {}): ParsedCommandArgs<O> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${message}\n${usage}`);
  }
  const { help, ...values } = parsed.values as Record<string, unknown>;
  const result = { values: values as ParsedCommandArgs<O>['values'], positionals: parsed.positionals, help: help === true };
  if (result.help) return result;
  const seen = new Set<string>();
  for (const t of parsed.tokens) {
    if (t.kind !== 'option') continue;
    const spec = t.name === 'help' ? undefined : options[t.name];
    if (spec !== undefined && spec.multiple !== true) {
      if (seen.has(t.name)) throw new UsageError(`option --${t.name} given more than once (${t.rawName}${t.value === undefined ? '' : ` ${JSON.stringify(t.value)}`}); give it once\n${usage}`);
      seen.add(t.name);
    }
    if (rules.refuseEmpty && spec?.type === 'string' && t.value === '') throw new UsageError(`option --${t.name} needs a non-empty value\n${usage}`);
  }
  const max = rules.maxPositionals ?? Number.POSITIVE_INFINITY;
  if (parsed.positionals.length > max) {
    const extra = parsed.positionals[max] as string;
    throw new UsageError(`unexpected argument '${extra}'${rules.positionalHint ? ` (${rules.positionalHint})` : ''}\n${usage}`);
  }
  return result;
}
