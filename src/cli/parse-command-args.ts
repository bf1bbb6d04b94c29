// One wrapper over node's util.parseArgs for every command: strict options, usage errors as UsageError (exit 2),
// and `--help` handled the same way everywhere.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedCommandArgs<O extends Options> {
  readonly values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>['values'];
  readonly positionals: string[];
  /** `--help` was given: the caller prints `help` and returns 0. */
  readonly help: boolean;
}

/** Parses `args` against `options` (a `help` boolean is added). @throws UsageError naming the problem. */
export function parseCommandArgs<O extends Options>(args: readonly string[], options: O, usage: string): ParsedCommandArgs<O> {
  try {
    const parsed = parseArgs({ args: [...args], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    const { help, ...values } = parsed.values as Record<string, unknown>;
    return { values: values as ParsedCommandArgs<O>['values'], positionals: parsed.positionals, help: help === true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${message}\n${usage}`);
  }
}
