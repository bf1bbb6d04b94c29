// Argument parsing shared by `velocity detect` and `velocity ledger record`: Terraform's single-dash `-var`,
// `-var-file` (also `--var`, `-var=...`) in command-line order, plus velocity's own flags. Pure and testable.
// Guarantees: no argument is ignored: a stray positional, an unknown flag, an empty value or a single-value
// option given twice is a UsageError naming it.

import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import type { VarArg } from '../config/root-variables.js';

export interface DetectArgs {
  readonly state: string;
  readonly dir?: string;
  readonly ledger?: string;
  readonly changedSince?: string;
  readonly json: boolean;
  readonly noCache: boolean;
  /** `ledger record --force`: replace a ledger file that cannot be read. */
  readonly force: boolean;
  readonly varArgs: VarArg[];
}

/** Parses detect/record arguments. `allowChangedSince` is false for `ledger record`. @throws UsageError */
export function parseDetectArgs(args: readonly string[], allowChangedSince: boolean): DetectArgs {
  // Terraform spells them with one dash; util.parseArgs would read `-var` as `-v -a -r`.
  const normalized = args.map((a) => (/^-var(-file)?(=|$)/.test(a) ? `-${a}` : a));
  // Any other single-dash word (`-json`) would be read as a bundle of one-letter flags and reported as `-j`.
  const word = normalized.find((a) => /^-[A-Za-z][A-Za-z-]+(=|$)/.test(a));
  if (word !== undefined) throw new UsageError(`unknown option '${word.replace(/=.*$/s, '')}' (velocity's own options take two dashes; only -var and -var-file take one)`);
  let parsed;
  try {
    parsed = parseArgs({
      args: normalized,
      allowPositionals: false,
      strict: true,
      tokens: true,
      options: {
        state: { type: 'string' },
        dir: { type: 'string' },
        ledger: { type: 'string' },
        'changed-since': { type: 'string' },
        json: { type: 'boolean', default: false },
        'no-cache': { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        var: { type: 'string', multiple: true },
        'var-file': { type: 'string', multiple: true },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values;
  const seen = new Set<string>();
  for (const t of parsed.tokens ?? []) {
    if (t.kind !== 'option') continue;
    if (t.value === '' && t.name !== 'var') throw new UsageError(`option ${t.rawName} needs a non-empty value`);
    if (t.name === 'var' || t.name === 'var-file') continue;
    if (seen.has(t.name)) throw new UsageError(`option --${t.name} given more than once; give it once`);
    seen.add(t.name);
  }
  if (v.state === undefined) throw new UsageError('--state FILE is required (the state the configuration was applied to)');
  if (!allowChangedSince && v['changed-since'] !== undefined) throw new UsageError('--changed-since is not accepted here');
  if (allowChangedSince && v.force === true) throw new UsageError('--force is accepted only by `velocity ledger record`');
  const varArgs: VarArg[] = [];
  for (const t of parsed.tokens ?? []) {
    if (t.kind !== 'option' || t.value === undefined) continue;
    if (t.name === 'var') varArgs.push({ kind: 'var', value: t.value });
    else if (t.name === 'var-file') varArgs.push({ kind: 'file', path: t.value });
  }
  return {
    state: v.state,
    ...(v.dir === undefined ? {} : { dir: v.dir }),
    ...(v.ledger === undefined ? {} : { ledger: v.ledger }),
    ...(v['changed-since'] === undefined ? {} : { changedSince: v['changed-since'] }),
    json: v.json === true,
    noCache: v['no-cache'] === true,
    force: v.force === true,
    varArgs,
  };
}
