// `velocity unlock ID`: releases the lock with this id (the id is the proof of ownership, as in `terraform force-unlock`).

import { UsageError } from '../errors.js';
import type { Command } from './cli-io.js';
import { LOCK_BACKEND_USAGE, lockBackendOptions, openLockManager } from './open-lock-manager.js';
import { parseCommandArgs } from './parse-command-args.js';

const USAGE = `usage: velocity unlock ID\n${LOCK_BACKEND_USAGE}`;

export const unlockCommand: Command = async (args, io) => {
  const { values, positionals, help } = parseCommandArgs(args, lockBackendOptions, USAGE);
  if (help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`velocity unlock takes exactly one lock id\n${USAGE}`);
  const { assertLockId } = await import('../lock/assert-lock-id.js');
  const id = assertLockId(positionals[0]);
  const { manager } = await openLockManager(values, io, USAGE);
  try {
    await manager.forceUnlock(id);
    io.stderr(`unlocked ${id}\n`);
    return 0;
  } finally {
    await manager.close();
  }
};
