// `velocity graph --state FILE [--format F] [--focus ADDR]... [--cone C] [--depth K] [--group-by G] [--out FILE]`:
// exports the dependency graph (or a cone of the focus) as DOT, Mermaid, JSON, GraphML, GEXF or an HTML page;
// `--states` exports the graph of states (velocity deps: a local graph file, or `--server URL`'s) in the same formats.
// Edges are the transitive reduction unless `--all-edges`; cones, roles and counts always use every edge.

import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { ExportInputError } from '../export/export-errors.js';
import type { GroupBy } from '../export/export-view.js';
import { IMAGE_FORMATS, renderGraphviz, type ImageFormat } from '../export/render-graphviz.js';
import { toDot } from '../export/to-dot.js';
import { GRAPH_FORMATS, formatView, graphExport, graphImage, type ConeSelection, type GraphFormat } from '../plan/graph-export.js';
import type { Command } from './cli-io.js';
import { loadGraph } from './load-graph.js';
import { openServeClient, serveClientOptions } from './open-serve-client.js';
import { parseCommandArgs } from './parse-command-args.js';
import { parseCount } from './parse-count.js';

const USAGE =
  'usage: velocity graph --state FILE [--format dot|mermaid|json|graphml|gexf|html|svg|png] [--focus ADDR]...\n' +
  '                      [--cone top|bottom|change|both] [--depth K] [--group-by module|type|none] [--all-edges]\n' +
  '                      [--title T] [--out FILE]\n' +
  '       velocity graph --states [--deps FILE | --server URL [--token-file F]] [--format F] [--group-by none|type]\n' +
  '                      [--all-edges] [--title T] [--out FILE]\n' +
  '                      the graph of states (velocity deps; a velocity server\'s with --server, its token from\n' +
  '                      --token-file, else $VELOCITY_TOKEN or $TF_HTTP_PASSWORD): stale states as the focus,\n' +
  '                      potentially-stale as their cone';

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got '${value}'\n${USAGE}`);
  return value as T;
}

export const graphCommand: Command = async (args, io) => {
  const { values, help } = parseCommandArgs(
    args,
    {
      state: { type: 'string' },
      format: { type: 'string' },
      focus: { type: 'string', multiple: true },
      cone: { type: 'string' },
      depth: { type: 'string' },
      'group-by': { type: 'string' },
      title: { type: 'string' },
      'all-edges': { type: 'boolean' },
      out: { type: 'string', short: 'o' },
      states: { type: 'boolean' },
      deps: { type: 'string' },
      ...serveClientOptions,
    },
    USAGE,
    { maxPositionals: 0, positionalHint: 'give focus addresses with --focus ADDR', refuseEmpty: true },
  );
  if (help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const format = oneOf<GraphFormat | ImageFormat>(values.format, [...GRAPH_FORMATS, ...IMAGE_FORMATS], '--format') ?? 'dot';
  if (format === 'png' && values.out === undefined) throw new UsageError(`--format png writes binary: give --out FILE.png\n${USAGE}`);
  const cone = oneOf<ConeSelection>(values.cone, ['top', 'bottom', 'change', 'both'], '--cone');
  const groupBy = oneOf<GroupBy>(values['group-by'], ['module', 'type', 'none'], '--group-by') ?? 'module';
  const depth = values.depth === undefined ? undefined : parseCount(values.depth, '--depth', USAGE);
  const focus = values.focus ?? [];
  if ((cone !== undefined || depth !== undefined) && focus.length === 0) throw new UsageError(`--cone and --depth need at least one --focus ADDR\n${USAGE}`);
  if (values.states === true) {
    const stray = (['state', 'focus', 'cone', 'depth'] as const).filter((f) => values[f] !== undefined);
    if (stray.length > 0) throw new UsageError(`--states draws the graph of states: ${stray.map((f) => `--${f}`).join(', ')} does not apply\n${USAGE}`);
    if (values.server !== undefined && values.deps !== undefined) throw new UsageError(`--server and --deps name two graphs: give one\n${USAGE}`);
    if (values.server === undefined && values['token-file'] !== undefined) throw new UsageError(`--token-file goes with --server\n${USAGE}`);
    const { depsExportView } = await import('../deps/deps-export-view.js');
    let graph;
    if (values.server !== undefined) graph = await (await openServeClient(values, io, USAGE)).depsGraph();
    else {
      const { depsLocation, readDepsGraph } = await import('../deps/deps-file.js');
      ({ graph } = await readDepsGraph(depsLocation({ ...(values.deps !== undefined ? { explicit: values.deps } : {}), env: io.env, cwd: io.cwd })));
    }
    const view = depsExportView(graph, { groupBy: groupBy === 'module' ? 'none' : groupBy, allEdges: values['all-edges'] === true });
    const title = values.title ?? 'velocity states';
    const bytes = format === 'svg' || format === 'png' ? renderGraphviz(toDot(view), format, { env: io.env }) : formatView(view, format, title);
    return emit(bytes, `${view.nodes.length} state(s)`);
  } else {
    const stray = (['deps', 'server', 'token-file'] as const).filter((f) => values[f] !== undefined);
    if (stray.length > 0) throw new UsageError(`${stray.map((f) => `--${f}`).join(', ')} goes with --states\n${USAGE}`);
  }

  const graph = await loadGraph(values.state, io, USAGE, { allowCycles: true });
  if (graph.warnings.length > 0) {
    io.stderr(`velocity: warning: ${graph.warnings[0]}${graph.warnings.length > 1 ? ` (and ${graph.warnings.length - 1} more like it)` : ''}\n`);
  }
  if (graph.cycles.length > 0) io.stderr(`velocity: warning: the state's dependencies contain ${graph.cycles.length} cycle(s); exported as they are\n`);
  const common = {
    focus,
    groupBy,
    allEdges: values['all-edges'] === true,
    ...(cone ? { cone } : {}),
    ...(depth !== undefined ? { depth } : {}),
    ...(values.title !== undefined ? { title: values.title } : {}),
  };
  const image = format === 'svg' || format === 'png';
  const text = image ? graphImage(graph, format, { ...common, env: io.env }) : graphExport(graph, { ...common, format });
  return emit(text, `${graph.size} resource(s)`);

  async function emit(text: string | Buffer, what: string): Promise<number> {
    if (values.out === undefined) {
      io.stdout(typeof text === 'string' ? text : text.toString('utf8'));
      return 0;
    }
    const out = resolve(io.cwd, values.out);
    try {
      await writeFile(out, text);
    } catch (cause) {
      throw new ExportInputError('EXPORT_WRITE_FAILED', `cannot write ${values.out}: ${cause instanceof Error && 'code' in cause ? String((cause as NodeJS.ErrnoException).code) : String(cause)}`);
    }
    io.stderr(`velocity: wrote ${format} graph of ${what} to ${values.out}\n`);
    return 0;
  }
};
