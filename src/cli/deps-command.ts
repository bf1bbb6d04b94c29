// `velocity deps add|rm|ls|status|order|refresh|ack|sync|discover`: dependencies between local states (workspace
// directories), kept in `--deps FILE`, $VELOCITY_DEPS or `.velocity/deps.json` beside the first workspace named.
// Guarantees: thin over src/deps; JSON output sorted; a refused edge (cycle, duplicate) is a typed error, nothing written.

import { UsageError } from '../errors.js';
import type { Command } from './cli-io.js';
import { parseCommandArgs } from './parse-command-args.js';

const USAGE = `usage: velocity deps <command> [args] [--deps FILE]
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
  --binary PATH   tofu/terraform for states that are not a plain local file (default: tofu, else terraform)`;

const options = {
  deps: { type: 'string' },
  as: { type: 'string' },
  mock: { type: 'string' },
  json: { type: 'boolean' },
  from: { type: 'string' },
  binary: { type: 'string' },
} as const;

/** Positional count (min, max) and flags of each subcommand. */
const TAKES: Readonly<Record<string, { min: number; max: number; flags: readonly (keyof typeof options)[] }>> = {
  add: { min: 3, max: 3, flags: ['as', 'mock'] },
  rm: { min: 3, max: 3, flags: [] },
  ls: { min: 0, max: 0, flags: ['json'] },
  status: { min: 0, max: 1, flags: ['json'] },
  order: { min: 0, max: 0, flags: ['from', 'json'] },
  refresh: { min: 0, max: Infinity, flags: ['binary'] },
  ack: { min: 1, max: 1, flags: ['binary'] },
  sync: { min: 1, max: 1, flags: [] },
  discover: { min: 1, max: Infinity, flags: [] },
};

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
  for (const f of ['as', 'mock', 'json', 'from', 'binary'] as const) {
    if (values[f] !== undefined && !spec.flags.includes(f)) throw new UsageError(`--${f} does not go with velocity deps ${sub}\n${USAGE}`);
  }
  let mock: unknown;
  if (values.mock !== undefined) {
    try {
      mock = JSON.parse(values.mock);
    } catch {
      throw new UsageError(`--mock must be a JSON value, not ${JSON.stringify(values.mock)}\n${USAGE}`);
    }
  }

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
    case 'ls': {
      const rows = graph.edges().map((e) => ({ producer: e.producer, output: e.output, consumer: e.consumer, input: e.input, status: graph.edgeStatus(e) }));
      if (values.json) io.stdout(`${JSON.stringify(rows)}\n`);
      else if (rows.length === 0) io.stdout(`no dependencies in ${loc.file}\n`);
      else for (const r of rows) io.stdout(`${r.producer}.${r.output} -> ${r.consumer} (as ${r.input})  ${r.status}\n`);
      return 0;
    }
    case 'status': {
      const { stateStatuses } = await import('../deps/state-status.js');
      const only = rest[0] === undefined ? undefined : name(rest[0]);
      const list = stateStatuses(graph, only);
      if (only !== undefined && list.length === 0) throw new UsageError(`${only} is not a state of ${loc.file}`);
      if (values.json) io.stdout(`${JSON.stringify(list)}\n`);
      else for (const s of list) io.stdout(`${s.state}  ${s.status}\n${s.incoming.map((i) => `  <- ${i.from}.${i.output}  ${i.status}\n`).join('')}`);
      return 0;
    }
    case 'order': {
      const { replanOrder } = await import('../deps/replan-order.js');
      const order = replanOrder(graph, values.from === undefined ? undefined : name(values.from));
      io.stdout(values.json ? `${JSON.stringify(order)}\n` : order.map((s) => `${s}\n`).join(''));
      return 0;
    }
    case 'refresh':
    case 'ack': {
      const { refreshProducers, recordApplied } = await import('../deps/refresh-producers.js');
      const opts = { dirOf, binary: await binary(), env: io.env };
      if (sub === 'ack') {
        const n = await recordApplied(graph, name(a), opts);
        await files.writeDepsGraph(loc, graph);
        io.stderr(`${name(a)}: ${n} incoming edge${n === 1 ? '' : 's'} acknowledged\n`);
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
      const { syncDependencies } = await import('../deps/sync-dependencies.js');
      const r = await syncDependencies(graph, consumer, dirOf(consumer), dirOf);
      io.stderr(r.changed ? `wrote ${r.file}\n` : `${r.file} is up to date\n`);
      return 0;
    }
    default: {
      const { discoverDependencies } = await import('../deps/discover-dependencies.js');
      const found = await discoverDependencies(rest.map((d) => ({ state: name(d), dir: dirOf(name(d)) })), (dir) => name(dir));
      let added = 0;
      for (const e of found.edges) {
        if (graph.edges().some((x) => x.producer === e.producer && x.output === e.output && x.consumer === e.consumer)) continue;
        graph.add(e);
        added++;
      }
      await files.writeDepsGraph(loc, graph);
      for (const w of found.warnings) io.stderr(`warning: ${w}\n`);
      io.stderr(`discovered ${found.edges.length} edge${found.edges.length === 1 ? '' : 's'}, ${added} new (${loc.file})\n`);
      return 0;
    }
  }
};

