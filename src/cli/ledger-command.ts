// `velocity ledger record --state FILE [--dir DIR] [-var K=V]... [-var-file F]... [--ledger PATH] [--force]`: stores
// the configuration's block fingerprints for the state's lineage and serial. Run it after a successful apply.
// What the detector cannot attribute is printed as a warning (stderr; `warnings` in --json), never dropped.

import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { Command } from './cli-io.js';
import { parseDetectArgs } from './detect-args.js';

export const ledgerCommand: Command = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    const usage = 'usage: velocity ledger record --state FILE [--dir DIR] [-var NAME=VALUE]... [-var-file FILE]... [--ledger PATH] [--force] [--json]\n';
    // Asked for, the usage is the output; missing the subcommand, it is the error (stderr, exit 2).
    (sub === undefined ? io.stderr : io.stdout)(usage);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'record') throw new UsageError(`unknown ledger subcommand '${sub}' (expected: record)`);
  const a = parseDetectArgs(rest, false);
  const { loadState } = await import('../state/load-state.js');
  const { ConfigChangeDetector } = await import('../detect/config-change-detector.js');
  const state = await loadState(a.state === '-' ? '-' : resolve(io.cwd, a.state), { stdin: io.stdin, sourceName: a.state });
  const { path, entry, warnings } = await new ConfigChangeDetector().record({
    workingDir: resolve(io.cwd, a.dir ?? '.'),
    state,
    varArgs: a.varArgs,
    env: io.env,
    ...(a.noCache ? { cachePath: false as const } : {}),
    ...(a.ledger === undefined ? {} : { ledgerPath: resolve(io.cwd, a.ledger) }),
    ...(a.force ? { replaceUnreadable: true } : {}),
  });
  const blocks = Object.keys(entry.blocks).length;
  for (const w of warnings) io.stderr(`warning: ${w.what}: ${w.reason} (detection falls back to a probe or full plan while this holds)\n`);
  if (a.json) io.stdout(`${JSON.stringify({ path, lineage: entry.lineage, serial: entry.serial, blocks, warnings })}\n`);
  else io.stdout(`recorded ${blocks} block fingerprint(s) for lineage ${entry.lineage} serial ${entry.serial} in ${path}\n`);
  return 0;
};
