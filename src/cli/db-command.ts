// `velocity db migrate up|down|status`: the schema migrations of velocity's PostgreSQL tables (the resource locks
// and the state backend), through the same runner `velocity serve` runs on start. `down` undoes serve migrations
// only (newest first, `--steps N`, default 1); the lock tables have no down.

import { UsageError } from '../errors.js';
import type { Command } from './cli-io.js';
import { parseCommandArgs } from './parse-command-args.js';
import { parseCount } from './parse-count.js';
import { DATABASE_USAGE, databaseOptions } from './serve-options.js';

const USAGE = `usage: velocity db migrate up|down|status [--steps N] [--json]
  up       apply every pending migration
  down     undo the newest --steps N state-backend migrations (default 1)
  status   applied and pending migrations per component
${DATABASE_USAGE}`;

export const dbCommand: Command = async (args, io) => {
  const { values, positionals, help } = parseCommandArgs(args, { ...databaseOptions, steps: { type: 'string' }, json: { type: 'boolean' } }, USAGE, { maxPositionals: 2, refuseEmpty: true });
  if (help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const [sub, action] = positionals;
  if (sub !== 'migrate' || (action !== 'up' && action !== 'down' && action !== 'status')) {
    throw new UsageError(`velocity db takes \`migrate up\`, \`migrate down\` or \`migrate status\`${positionals.length ? `, not '${positionals.join(' ')}'` : ''}\n${USAGE}`);
  }
  if (values.steps !== undefined && action !== 'down') throw new UsageError(`--steps goes with \`migrate down\` only\n${USAGE}`);
  const steps = values.steps === undefined ? 1 : parseCount(values.steps, '--steps', USAGE, 1);
  const { openServeDatabase, migrateServeUp, migrateServeDown, serveMigrationStatus } = await import('../serve/open-serve-database.js');
  const db = await openServeDatabase({ ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}), ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}), ...(values.schema ? { schema: values.schema } : {}), cwd: io.cwd, env: io.env });
  try {
    if (action === 'up') {
      const applied = await migrateServeUp(db);
      if (values.json) io.stdout(`${JSON.stringify(applied)}\n`);
      else for (const a of applied) io.stdout(`${a.component}: ${a.applied.length === 0 ? 'up to date' : `applied ${a.applied.join(', ')}`}\n`);
    } else if (action === 'down') {
      const undone = await migrateServeDown(db, steps);
      if (values.json) io.stdout(`${JSON.stringify({ component: 'serve', undone })}\n`);
      else io.stdout(`serve: ${undone.length === 0 ? 'nothing to undo' : `undid ${undone.join(', ')}`}\n`);
    } else {
      const status = await serveMigrationStatus(db);
      if (values.json) io.stdout(`${JSON.stringify(status.map((s) => ({ component: s.component, applied: s.applied.map((a) => a.version), known: s.known })))}\n`);
      else
        for (const s of status) {
          const at = s.applied.length === 0 ? 0 : Math.max(...s.applied.map((a) => a.version));
          io.stdout(`${s.component}: at ${at} of ${s.known}${at < s.known ? ` (${s.known - at} pending)` : ''}\n`);
        }
    }
    return 0;
  } finally {
    await db.close();
  }
};
