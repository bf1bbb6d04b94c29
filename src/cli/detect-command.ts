// `velocity detect --state FILE [--dir DIR] [--changed-since REF] [-var K=V]... [-var-file F]... [--ledger PATH] [--json]`:
// prints what changed in the configuration since the last recorded apply (or since a git ref), without a plan.

import { resolve } from 'node:path';
import type { Command } from './cli-io.js';
import { parseDetectArgs } from './detect-args.js';

export const detectCommand: Command = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(
      'usage: velocity detect --state FILE [--dir DIR] [--changed-since REF] [-var NAME=VALUE]... [-var-file FILE]... [--ledger PATH] [--no-cache] [--json]\n',
    );
    return 0;
  }
  const a = parseDetectArgs(args, true);
  const { loadState } = await import('../state/load-state.js');
  const { ConfigChangeDetector } = await import('../detect/config-change-detector.js');
  const state = await loadState(a.state === '-' ? '-' : resolve(io.cwd, a.state), { stdin: io.stdin, sourceName: a.state });
  const workingDir = resolve(io.cwd, a.dir ?? '.');
  const r = await new ConfigChangeDetector().detect({
    workingDir,
    state,
    varArgs: a.varArgs,
    env: io.env,
    ...(a.noCache ? { cachePath: false as const } : {}),
    ...(a.ledger === undefined ? {} : { ledgerPath: resolve(io.cwd, a.ledger) }),
    ...(a.changedSince === undefined ? {} : { changedSince: a.changedSince }),
  });
  if (a.json) {
    io.stdout(`${JSON.stringify({ ...r, tookMs: Math.round(r.tookMs * 10) / 10 }, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `${r.changed.length} changed instance(s) in ${r.changedBlocks.length} changed block(s), ${r.newBlocks.length} new, ${r.removedBlocks.length} removed ` +
      `(compared with the ${r.basis === 'git' ? `configuration at ${a.changedSince}` : 'ledger'}; ${r.stats.blocks} blocks in ${r.stats.files} files; ${Math.round(r.tookMs)} ms)`,
    ...r.changed.map((c) => `  ~ ${c}`),
    ...r.newBlocks.map((b) => `  + ${b}`),
    ...r.removedBlocks.map((b) => `  - ${b}`),
    ...r.changedOutputs.map((o) => `  output.${o} changed`),
    ...r.unattributed.map((u) => `unattributed: ${u}`),
    ...(r.fallback ? [`fallback to ${r.fallback.to}: ${r.fallback.reason}`] : []),
  ];
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
};
