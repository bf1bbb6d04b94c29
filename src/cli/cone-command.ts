// `velocity cone top|bottom ADDR... --state FILE [--json]`: upstream or downstream cone, roots included, sorted.

import { bottomCone } from '../cone/bottom-cone.js';
import { topCone } from '../cone/top-cone.js';
import { UsageError } from '../errors.js';
import type { Command } from './cli-io.js';
import { loadGraph } from './load-graph.js';
import { parseCommandArgs } from './parse-command-args.js';
import { parseCount } from './parse-count.js';

const USAGE = 'usage: velocity cone top|bottom ADDR... --state FILE [--depth K] [--json]';

export const coneCommand: Command = async (args, io) => {
  const { values, positionals, help } = parseCommandArgs(
    args,
    { state: { type: 'string' }, json: { type: 'boolean' }, depth: { type: 'string' } },
    USAGE,
    { refuseEmpty: true },
  );
  if (help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const [direction, ...addresses] = positionals;
  if (direction !== 'top' && direction !== 'bottom') {
    throw new UsageError(`first argument must be top or bottom${direction === undefined ? '' : `, got '${direction}'`}\n${USAGE}`);
  }
  if (addresses.length === 0) throw new UsageError(`give at least one address\n${USAGE}`);
  const depth = values.depth === undefined ? undefined : parseCount(values.depth, '--depth', USAGE);
  const graph = await loadGraph(values.state, io, USAGE);
  const cone = direction === 'top' ? topCone : bottomCone;
  const nodes = cone(graph, addresses, depth === undefined ? {} : { maxDepth: depth });
  if (values.json) io.stdout(`${JSON.stringify({ nodes })}\n`);
  else io.stdout(`${nodes.join('\n')}\n${nodes.length} instance(s) ${direction === 'top' ? 'upstream of' : 'downstream of'} ${addresses.join(', ')}, roots included\n`);
  return 0;
};
