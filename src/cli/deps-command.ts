// `velocity deps add|rm|ls|status|order|refresh|ack|sync|discover`: dependencies between local states (workspace
// directories), kept in `--deps FILE`, $VELOCITY_DEPS or `.velocity/deps.json` beside the first workspace named; or,
// with an explicit `--server URL`, between the states of a velocity server (logic ids; the server keeps the graph).
// Guarantees: thin over src/deps and ServeClient; JSON output sorted and of one shape whatever the store; a refused
// edge (cycle, duplicate) is a typed error, nothing written.

import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { DepsGraph } from '../deps/deps-graph.js';
import type { DiscoveredEdge } from '../deps/discover-dependencies.js';
import type { CliIo, Command } from './cli-io.js';
import { openServeClient, serveClientOptions } from './open-serve-client.js';
import { parseCommandArgs } from './parse-command-args.js';

const USAGE = `usage: velocity deps <command> [args] [--deps FILE | --server URL [--token-file F]]
  add PRODUCER OUTPUT CONSUMER [--as NAME] [--mock JSON]   CONSUMER reads PRODUCER's output (input NAME, default <producer>_<output>)
  rm PRODUCER OUTPUT CONSUMER                              remove that edge
  ls [--json]                                              every edge and its status
  status [STATE] [--json]                                  clean | stale | potentially-stale, with the incoming edges
  order [--from STATE] [--json]                            the states to re-plan, producers first
  refresh [STATE...]                                       read the producers' current outputs (their fingerprints)
  ack CONSUMER                                             CONSUMER applied: it has observed its producers' outputs
  sync CONSUMER                                            write CONSUMER/velocity_dependencies.tf (remote states + locals)
  discover DIR...                                          add the edges DIRs' terraform_remote_state references imply
  States are workspace directories, named relative to the graph's base (the directory of --deps FILE, else the parent
  of the first workspace). The graph: --deps FILE, else $VELOCITY_DEPS, else .velocity/deps.json in the first
  workspace named (the current directory for ls, status and order without one): share one with --deps.
  --binary PATH   tofu/terraform for states that are not a plain local file (default: tofu, else terraform)
  --server URL    the states of a velocity server instead (logic ids or guids; only given explicitly, never from
                  $VELOCITY_SERVER): the server keeps the graph and reads its producers' outputs itself (refresh has
                  nothing to do, applies through it acknowledge themselves); discover DIR... reads workspaces
                  initialized on its states and follows http remote states on it
  --token-file F  the server's token (default: $VELOCITY_TOKEN, else $TF_HTTP_PASSWORD)
  sync CONSUMER --server URL [--dir D]   write D/velocity_dependencies.tf (default: .), http remote states`;

const options = {
  deps: { type: 'string' },
  ...serveClientOptions,
  as: { type: 'string' },
  mock: { type: 'string' },
  json: { type: 'boolean' },
  from: { type: 'string' },
  binary: { type: 'string' },
  dir: { type: 'string' },
} as const;

type Flag = 'as' | 'mock' | 'json' | 'from' | 'binary' | 'dir';

/** Positional count (min, max) and flags of each subcommand. */
const TAKES: Readonly<Record<string, { min: number; max: number; flags: readonly Flag[] }>> = {
  add: { min: 3, max: 3, flags: ['as', 'mock'] },
  rm: { min: 3, max: 3, flags: [] },
  ls: { min: 0, max: 0, flags: ['json'] },
  status: { min: 0, max: 1, flags: ['json'] },
  order: { min: 0, max: 0, flags: ['from', 'json'] },
  refresh: { min: 0, max: Infinity, flags: ['binary'] },
  ack: { min: 1, max: 1, flags: ['binary'] },
  sync: { min: 1, max: 1, flags: ['dir'] },
  discover: { min: 1, max: Infinity, flags: [] },
};

/** `ls`, `status` and `order`: presented from the graph the same way wherever it is kept (`where` names it). */
async function show(sub: 'ls' | 'status' | 'order', graph: DepsGraph, where: string, state: string | undefined, json: boolean, io: CliIo): Promise<number> {
  if (sub === 'ls') {
    const rows = graph.edges().map((e) => ({ producer: e.producer, output: e.output, consumer: e.consumer, input: e.input, status: graph.edgeStatus(e) }));
    if (json) io.stdout(`${JSON.stringify(rows)}\n`);
    else if (rows.length === 0) io.stdout(`no dependencies in ${where}\n`);
    else for (const r of rows) io.stdout(`${r.producer}.${r.output} -> ${r.consumer} (as ${r.input})  ${r.status}\n`);
    return 0;
  }
  if (sub === 'status') {
    const { stateStatuses } = await import('../deps/state-status.js');
    const list = stateStatuses(graph, state);
    if (state !== undefined && list.length === 0) throw new UsageError(`${state} is not a state of ${where}`);
    if (json) io.stdout(`${JSON.stringify(list)}\n`);
    else for (const s of list) io.stdout(`${s.state}  ${s.status}\n${s.incoming.map((i) => `  <- ${i.from}.${i.output}  ${i.status}\n`).join('')}`);
    return 0;
  }
  const { replanOrder } = await import('../deps/replan-order.js');
  const order = replanOrder(graph, state);
  io.stdout(json ? `${JSON.stringify(order)}\n` : order.map((s) => `${s}\n`).join(''));
  return 0;
}

/** The discovered edges the graph does not have yet. O(found · edges). */
function newEdges(graph: DepsGraph, found: readonly DiscoveredEdge[]): DiscoveredEdge[] {
  return found.filter((e) => !graph.edges().some((x) => x.producer === e.producer && x.output === e.output && x.consumer === e.consumer));
}

/** What `discover` prints: its warnings, then the count. */
function discovered(found: { readonly edges: readonly DiscoveredEdge[]; readonly warnings: readonly string[] }, added: number, where: string, io: CliIo): number {
  for (const w of found.warnings) io.stderr(`warning: ${w}\n`);
  io.stderr(`discovered ${found.edges.length} edge${found.edges.length === 1 ? '' : 's'}, ${added} new (${where})\n`);
  return 0;
}

const acknowledged = (state: string, n: number): string => `${state}: ${n} incoming edge${n === 1 ? '' : 's'} acknowledged\n`;

/** The subcommands on a velocity server: the graph is the server's, states are its logic ids. */
async function onServer(sub: string, rest: readonly string[], values: { readonly server?: string; readonly 'token-file'?: string; readonly as?: string; readonly json?: boolean; readonly from?: string; readonly dir?: string }, mock: unknown, io: CliIo): Promise<number> {
  if (sub === 'refresh') {
    io.stderr('velocity deps refresh: nothing to read on a velocity server: it reads its producers\' current outputs at every request\n');
    return 0;
  }
  const c = await openServeClient(values, io, USAGE);
  const [a = '', b = '', d = ''] = rest;
  const logicId = async (state: string | undefined): Promise<string | undefined> => (state === undefined ? undefined : c.depsState(state));
  switch (sub) {
    case 'add': {
      const edge = await c.depsAdd({ producer: a, output: b, consumer: d, ...(values.as !== undefined ? { input: values.as } : {}), ...(mock !== undefined ? { mock } : {}) });
      io.stderr(`${edge.consumer} reads ${edge.producer}'s output ${edge.output} as ${edge.input} (${c.server})\n`);
      return 0;
    }
    case 'rm':
      await c.depsRemove(a, b, d);
      io.stderr(`removed ${a}.${b} -> ${d} (${c.server})\n`);
      return 0;
    case 'ack':
      io.stderr(acknowledged(a, await c.depsAck(a)));
      return 0;
    case 'discover': {
      const { discoverDependencies } = await import('../deps/discover-dependencies.js');
      const { initializedHttpBackend, serverStateAddress } = await import('../serve/server-state-address.js');
      const { locateServerProducer, sameServer } = await import('../serve/locate-server-producer.js');
      const logicIdOf = new Map((await c.list()).map((s) => [s.guid.toLowerCase(), s.logicId]));
      // Each DIR is the state its initialized backend points at, which must be a state of this server.
      const consumers = rest.map((d) => {
        const dir = resolve(io.cwd, d);
        const at = serverStateAddress(initializedHttpBackend(dir, io.env)?.['address']);
        const state = at !== undefined && sameServer(at.origin, c.server) ? logicIdOf.get(at.guid) : undefined;
        if (state === undefined) throw new UsageError(`${d} is not initialized on a state of ${c.server}: run \`velocity state init\` and \`terraform init\` there first`);
        return { state, dir };
      });
      const found = await discoverDependencies(consumers, locateServerProducer(c.server, logicIdOf));
      const fresh = newEdges(await c.depsGraph(), found.edges);
      for (const e of fresh) await c.depsAdd(e);
      return discovered(found, fresh.length, c.server, io);
    }
    case 'sync': {
      const graph = await c.depsGraph();
      const consumer = (await logicId(a)) as string;
      if (!graph.edges().some((e) => e.consumer === consumer)) throw new UsageError(`${consumer} reads nothing on ${c.server}: add edges first`);
      const { syncServerDependencies } = await import('../serve/sync-server-dependencies.js');
      const r = await syncServerDependencies(c, graph, consumer, resolve(io.cwd, values.dir ?? '.'));
      io.stderr(r.changed ? `wrote ${r.file}\n` : `${r.file} is up to date\n`);
      return 0;
    }
    default: {
      const graph = await c.depsGraph();
      return show(sub as 'ls' | 'status' | 'order', graph, c.server, await logicId(sub === 'order' ? values.from : rest[0]), values.json === true, io);
    }
  }
}

export const depsCommand: Command = async (args, io) => {
  const { values, positionals, help } = parseCommandArgs(args, options, USAGE, { refuseEmpty: true });
  if (help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const [sub, ...rest] = positionals;
  const spec = sub !== undefined && Object.hasOwn(TAKES, sub) ? TAKES[sub] : undefined;
  if (sub === undefined || spec === undefined) throw new UsageError(`velocity deps takes ${Object.keys(TAKES).join(', ')}${sub ? `, not '${sub}'` : ''}\n${USAGE}`);
  if (rest.length < spec.min || rest.length > spec.max) throw new UsageError(`velocity deps ${sub}: wrong number of arguments (${rest.length})\n${USAGE}`);
  for (const f of ['as', 'mock', 'json', 'from', 'binary', 'dir'] as const) {
    if (values[f] !== undefined && !spec.flags.includes(f)) throw new UsageError(`--${f} does not go with velocity deps ${sub}\n${USAGE}`);
  }
  if (values.server !== undefined) {
    if (values.deps !== undefined) throw new UsageError(`--server and --deps name two graphs: give one\n${USAGE}`);
    if (values.binary !== undefined) throw new UsageError(`--binary does not go with --server (the server reads its states itself)\n${USAGE}`);
  } else {
    for (const f of ['token-file', 'dir'] as const) if (values[f] !== undefined) throw new UsageError(`--${f} goes with --server\n${USAGE}`);
  }
  let mock: unknown;
  if (values.mock !== undefined) {
    try {
      mock = JSON.parse(values.mock);
    } catch {
      throw new UsageError(`--mock must be a JSON value, not ${JSON.stringify(values.mock)}\n${USAGE}`);
    }
  }
  if (values.server !== undefined) return onServer(sub, rest, values, mock, io);

  const files = await import('../deps/deps-file.js');
  const first = sub === 'order' ? values.from : rest[0];
  const opened = files.depsLocation({ ...(values.deps !== undefined ? { explicit: values.deps } : {}), env: io.env, cwd: io.cwd, ...(first !== undefined ? { firstWorkspace: first } : {}) });
  const { graph, loc } = await files.readDepsGraph(opened);
  const name = (dir: string): string => files.localStateName(loc, io.cwd, dir);
  const dirOf = (state: string): string => files.stateDirectory(loc, state);
  const binary = async (): Promise<string> => {
    const { findBinary } = await import('../tf/find-binary.js');
    return findBinary({ env: io.env, cwd: io.cwd, ...(values.binary !== undefined ? { explicit: values.binary } : {}) }).path;
  };
  const [a = '', b = '', c = ''] = rest;

  switch (sub) {
    case 'add': {
      const edge = graph.add({ producer: name(a), output: b, consumer: name(c), ...(values.as !== undefined ? { input: values.as } : {}), ...(mock !== undefined ? { mock } : {}) });
      await files.writeDepsGraph(loc, graph);
      io.stderr(`${edge.consumer} reads ${edge.producer}'s output ${edge.output} as ${edge.input} (${loc.file})\n`);
      return 0;
    }
    case 'rm': {
      graph.remove(name(a), b, name(c));
      await files.writeDepsGraph(loc, graph);
      io.stderr(`removed ${name(a)}.${b} -> ${name(c)} (${loc.file})\n`);
      return 0;
    }
    case 'ls':
      return show(sub, graph, loc.file, undefined, values.json === true, io);
    case 'status':
    case 'order': {
      const state = sub === 'order' ? values.from : rest[0];
      return show(sub, graph, loc.file, state === undefined ? undefined : name(state), values.json === true, io);
    }
    case 'refresh':
    case 'ack': {
      const { refreshProducers, recordApplied } = await import('../deps/refresh-producers.js');
      const opts = { dirOf, binary: await binary(), env: io.env };
      if (sub === 'ack') {
        const n = await recordApplied(graph, name(a), opts);
        await files.writeDepsGraph(loc, graph);
        io.stderr(acknowledged(name(a), n));
        return 0;
      }
      const read = await refreshProducers(graph, opts, rest.length === 0 ? undefined : rest.map(name));
      await files.writeDepsGraph(loc, graph);
      io.stderr(`read the outputs of ${read.length} producer state${read.length === 1 ? '' : 's'}${read.length > 0 ? `: ${read.join(', ')}` : ''}\n`);
      return 0;
    }
    case 'sync': {
      const consumer = name(a);
      if (!graph.edges().some((e) => e.consumer === consumer)) throw new UsageError(`${consumer} reads nothing in ${loc.file}: add edges first, or name the graph with --deps FILE`);
      const { producerBackend, syncDependencies } = await import('../deps/sync-dependencies.js');
      const r = await syncDependencies(graph, consumer, dirOf(consumer), (p) => producerBackend(dirOf(p), dirOf(consumer)));
      io.stderr(r.changed ? `wrote ${r.file}\n` : `${r.file} is up to date\n`);
      return 0;
    }
    default: {
      const { discoverDependencies, locateLocalProducer } = await import('../deps/discover-dependencies.js');
      const found = await discoverDependencies(rest.map((d) => ({ state: name(d), dir: dirOf(name(d)) })), locateLocalProducer((dir) => name(dir)));
      const fresh = newEdges(graph, found.edges);
      for (const e of fresh) graph.add(e);
      await files.writeDepsGraph(loc, graph);
      return discovered(found, fresh.length, loc.file, io);
    }
  }
};

