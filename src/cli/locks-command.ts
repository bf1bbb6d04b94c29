// `velocity locks`: who holds what, one block per lock sorted by id (or `--json`: an array of
// {id, resources, expiresAt, info}).

import type { Command } from './cli-io.js';
import { LOCK_BACKEND_USAGE, lockBackendOptions, openLockManager } from './open-lock-manager.js';
import { parseCommandArgs } from './parse-command-args.js';

const USAGE = `usage: velocity locks [--json]\n${LOCK_BACKEND_USAGE}`;

export const locksCommand: Command = async (args, io) => {
  const { values, help } = parseCommandArgs(args, { ...lockBackendOptions, json: { type: 'boolean' } }, USAGE);
  if (help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const { manager } = await openLockManager(values, io, USAGE);
  try {
    const locks = await manager.locks();
    if (values.json) {
      io.stdout(`${JSON.stringify(locks.map((l) => ({ id: l.id, resources: l.resources, expiresAt: l.expiresAt?.toISOString() ?? null, info: l.info })))}\n`);
      return 0;
    }
    if (locks.length === 0) {
      io.stdout('no locks held\n');
      return 0;
    }
    const out: string[] = [];
    for (const l of locks) {
      out.push(`${l.id}  ${l.info.Who || '(unknown holder)'}  ${l.info.Operation || '-'}  since ${l.info.Created || '?'}${l.expiresAt ? `  lease until ${l.expiresAt.toISOString()}` : ''}`);
      if (l.info.Info) out.push(`  info: ${l.info.Info}`);
      for (const r of l.resources) out.push(`  ${r}`);
      if (l.resources.length === 0) out.push('  (the whole state)');
    }
    io.stdout(`${out.join('\n')}\n`);
    return 0;
  } finally {
    await manager.close();
  }
};
