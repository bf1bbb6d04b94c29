// `velocity scope`: the refresh scope of a change, as a human summary or as the stable JSON contract
// `{"total","refresh","static","untouched","savings","warnings"}` (addresses sorted).

import { reduction } from '../cone/reduction.js';
import { savingsLine } from '../cone/savings-line.js';
import { describeReason, refreshScope } from '../engine/refresh-scope.js';
import { UsageError } from '../errors.js';
import type { Command } from './cli-io.js';
import { loadGraph } from './load-graph.js';
import { parseCommandArgs } from './parse-command-args.js';

const USAGE = 'usage: velocity scope --state FILE [--target ADDR]... [--changed ADDR]... [--strategy full|optimized] [--verbose] [--json]';

export const scopeCommand: Command = async (args, io) => {
  const { values, help } = parseCommandArgs(
    args,
    {
      state: { type: 'string' },
      target: { type: 'string', multiple: true },
      changed: { type: 'string', multiple: true },
      strategy: { type: 'string' },
      verbose: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    USAGE,
    { maxPositionals: 0, positionalHint: 'give the change with --changed ADDR or --target ADDR', refuseEmpty: true },
  );
  if (help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const strategy = values.strategy ?? 'optimized';
  if (strategy !== 'full' && strategy !== 'optimized') throw new UsageError(`--strategy must be full or optimized, got ${JSON.stringify(strategy)}\n${USAGE}`);
  const graph = await loadGraph(values.state, io, USAGE);
  const scope = refreshScope(graph, {
    targets: values.target ?? [],
    changed: values.changed ?? [],
    strategy,
  });
  if (values.json) {
    const { total, refresh, static: statics, untouched, savings, warnings } = scope;
    io.stdout(`${JSON.stringify({ total, refresh, static: statics, untouched, savings, warnings })}\n`);
    return 0;
  }
  const lines: string[] = [];
  for (const w of scope.warnings) io.stderr(`warning: ${w}\n`);
  lines.push(`Refresh (${scope.refresh.length}):`);
  for (const a of scope.refresh) lines.push(`  ${a}${values.verbose ? `  (${describeReason(scope.reasons.get(a) ?? { kind: 'changed' })})` : ''}`);
  lines.push(`Static, cached state used (${scope.static.length}):`);
  for (const a of scope.static) lines.push(`  ${a}${values.verbose ? `  (${describeReason(scope.reasons.get(a) ?? { kind: 'changed' })})` : ''}`);
  lines.push(`Untouched: ${scope.untouched}`);
  if (scope.fallbackReason) lines.push(`Full refresh: ${scope.fallbackReason}`);
  lines.push(savingsLine(reduction(scope.refresh.length, scope.total)));
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
};
