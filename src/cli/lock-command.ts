// `velocity lock ADDR... [--wait 30s]`: takes a lock on exactly these addresses (all or none) and prints its id.
// Any address form `-target` accepts: a lock on a resource or module covers everything inside it, so it conflicts
// with a lock on anything it contains or is contained by. With --state FILE every address must match something in
// that state (else ADDRESS_UNKNOWN); without it they are checked for syntax only.

import { UsageError } from '../errors.js';
import { newLockInfo } from '../lock/lock-info.js';
import type { Command } from './cli-io.js';
import { LOCK_BACKEND_USAGE, lockBackendOptions, openLockManager } from './open-lock-manager.js';
import { parseCommandArgs } from './parse-command-args.js';
import { parseDuration } from './parse-duration.js';

const USAGE = `usage: velocity lock ADDR... [--wait 30s] [--operation TEXT] [--info TEXT] [--state FILE] [--json]\n${LOCK_BACKEND_USAGE}`;

export const lockCommand: Command = async (args, io) => {
  const { values, positionals, help } = parseCommandArgs(
    args,
    { ...lockBackendOptions, wait: { type: 'string' }, operation: { type: 'string' }, info: { type: 'string' }, json: { type: 'boolean' } },
    USAGE,
  );
  if (help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError(`velocity lock needs at least one address\n${USAGE}`);
  const waitMs = values.wait === undefined ? 0 : parseDuration(values.wait, '--wait');
  if (values.state !== undefined) {
    // NOTE: checked, not expanded: the lock covers the address as written, so also instances created later.
    const { loadGraph } = await import('./load-graph.js');
    const graph = await loadGraph(values.state, io, USAGE);
    graph.resolve(positionals);
  }
  const addresses = positionals;
  const { manager, backend, processBound } = await openLockManager(values, io, USAGE);
  try {
    const info = newLockInfo({ operation: values.operation ?? 'velocity lock', info: values.info ?? '' });
    const handle = await manager.lockResources(addresses, info, { waitMs });
    const expires = handle.expiresAt?.toISOString();
    if (values.json) {
      io.stdout(`${JSON.stringify({ id: handle.id, backend, resources: handle.resources, expiresAt: expires ?? null, info: handle.info })}\n`);
    } else {
      io.stdout(`${handle.id}\n`);
      io.stderr(`locked ${handle.resources.length} resource(s) with ${backend}${expires ? `, lease until ${expires}` : ''}; release with: velocity unlock ${handle.id}\n`);
    }
    if (processBound) io.stderr(`warning: a ${backend} lock ends when its process does; use --lock-backend postgres or http to hold a lock across commands\n`);
    return 0;
  } finally {
    await manager.close();
  }
};
