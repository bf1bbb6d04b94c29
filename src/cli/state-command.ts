// `velocity state create|list|init|history|rollback`: states on a velocity server (`--server URL`, default
// $VELOCITY_SERVER; the token from --token-file, else $VELOCITY_TOKEN or $TF_HTTP_PASSWORD). `init` writes
// backend.tf idempotently: a second run changes nothing, and a backend.tf that says something else is never
// overwritten without --force.

import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError, VelocityError } from '../errors.js';
import type { Command } from './cli-io.js';
import { openServeClient, serveClientOptions } from './open-serve-client.js';
import { parseCommandArgs } from './parse-command-args.js';
import { parseCount } from './parse-count.js';

const USAGE = `usage: velocity state <create|list|init|history|rollback> [args] [--server URL] [--token-file F]
  create LOGIC_ID            register a state (a fresh UUIDv7 guid) under a unique name
  list [--json]              every state on the server
  init LOGIC_ID [--dir D]    write D/backend.tf (default: .) pointing terraform at the state [--force: replace another]
  history LOGIC_ID [--json]  every version of the state (every write is kept)
  rollback LOGIC_ID --serial N   make the version with serial N current again, as a new version
  --server URL               the velocity server (default: $VELOCITY_SERVER)
  --token-file F             its token (default: $VELOCITY_TOKEN, else $TF_HTTP_PASSWORD)`;

const options = {
  ...serveClientOptions,
  json: { type: 'boolean' },
  dir: { type: 'string' },
  force: { type: 'boolean' },
  serial: { type: 'string' },
} as const;

const TAKES: Readonly<Record<string, { args: number; flags: readonly string[] }>> = {
  create: { args: 1, flags: ['json'] },
  list: { args: 0, flags: ['json'] },
  init: { args: 1, flags: ['dir', 'force'] },
  history: { args: 1, flags: ['json'] },
  rollback: { args: 1, flags: ['serial', 'json'] },
};

export const stateCommand: Command = async (args, io) => {
  const { values, positionals, help } = parseCommandArgs(args, options, USAGE, { maxPositionals: 2, refuseEmpty: true });
  if (help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const [sub, name] = positionals;
  const spec = sub === undefined ? undefined : TAKES[sub];
  if (sub === undefined || spec === undefined || !Object.hasOwn(TAKES, sub)) throw new UsageError(`velocity state takes create, list, init, history or rollback${sub ? `, not '${sub}'` : ''}\n${USAGE}`);
  if (positionals.length - 1 !== spec.args) {
    throw new UsageError(spec.args === 0 ? `unexpected argument '${name}'\n${USAGE}` : `velocity state ${sub} takes LOGIC_ID\n${USAGE}`);
  }
  for (const f of ['json', 'dir', 'force', 'serial'] as const) {
    if (values[f] !== undefined && !spec.flags.includes(f)) throw new UsageError(`--${f} does not go with velocity state ${sub}\n${USAGE}`);
  }
  if (sub === 'rollback' && values.serial === undefined) throw new UsageError(`velocity state rollback needs --serial N\n${USAGE}`);
  const serial = values.serial === undefined ? undefined : parseCount(values.serial, '--serial', USAGE);
  const c = await openServeClient({ ...values, server: values.server ?? io.env['VELOCITY_SERVER'] }, io, `no server: give --server URL or set VELOCITY_SERVER\n${USAGE}`);
  const logicId = name as string;
  switch (sub) {
    case 'create': {
      const { v7 } = await import('uuid');
      const s = await c.create(v7(), logicId);
      io.stdout(values.json ? `${JSON.stringify(s)}\n` : `${s.guid}  ${s.logicId}\n`);
      return 0;
    }
    case 'list': {
      const list = await c.list();
      if (values.json) io.stdout(`${JSON.stringify(list)}\n`);
      else if (list.length === 0) io.stdout('no states\n');
      else for (const s of list) io.stdout(`${s.logicId}  ${s.guid}  ${s.version === 0 ? 'empty' : `serial ${s.serial}, ${s.instances} instances, version ${s.version}`}\n`);
      return 0;
    }
    case 'init': {
      const s = await c.get(logicId);
      const { backendBlock } = await import('../serve/backend-block.js');
      const text = backendBlock(c.server, s.guid);
      const path = join(resolve(io.cwd, values.dir ?? '.'), 'backend.tf');
      const old = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return undefined;
        throw new VelocityError('STATE_INIT_UNREADABLE', `cannot read ${path}: ${e.code ?? String(e)}`);
      });
      if (old === text) {
        io.stderr(`${path} is up to date (state ${logicId}, ${s.guid})\n`);
        return 0;
      }
      if (old !== undefined && !values.force) throw new VelocityError('STATE_INIT_CONFLICT', `${path} exists and says something else; give --force to replace it`);
      await writeFile(path, text);
      io.stderr(`wrote ${path} (state ${logicId}, ${s.guid}); run \`terraform init\` (-migrate-state to move a local state there)\n`);
      return 0;
    }
    case 'history': {
      const h = await c.history(logicId);
      if (values.json) io.stdout(`${JSON.stringify(h)}\n`);
      else if (h.length === 0) io.stdout('no versions yet\n');
      else for (const v of h) io.stdout(`version ${v.version}  serial ${v.serial}  ${v.createdAt}  ${v.instances} instances  ${v.sizeBytes} bytes  ${v.source === 'rollback' ? `rollback to version ${v.sourceVersion}` : (v.who ?? 'push')}\n`);
      return 0;
    }
    default: {
      const r = await c.rollback(logicId, serial as number);
      io.stdout(values.json ? `${JSON.stringify(r)}\n` : `state ${logicId}: serial ${serial} is current again as version ${r.version} (serial ${r.serial})\n`);
      return 0;
    }
  }
};
