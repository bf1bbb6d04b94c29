// The CLI's single entry: dispatch argv to a command, turn typed errors into one stderr line and an exit code.
// Guarantees: never calls process.exit, never prints a stack trace for a VelocityError (set VELOCITY_DEBUG=1 for one).

import { collectCacheWarnings } from '../cache-warnings.js';
import { VelocityError } from '../errors.js';
import { InterruptSource } from '../tf/interrupt-source.js';
import { BinaryInterruptedError } from '../tf/tf-errors.js';
import type { CliIo } from './cli-io.js';
import { commands } from './commands.js';

function usage(): string {
  const names = Object.keys(commands).sort();
  const width = Math.max(...names.map((n) => n.length));
  return [
    'usage: velocity <command> [options]',
    '',
    'commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${commands[n]?.summary ?? ''}`),
    '',
    'Run `velocity <command> --help` for a command\'s options.',
    '',
  ].join('\n');
}

/**
 * Runs one CLI invocation. Exit codes: 0 success, 1 user error, 2 usage error, 70 internal error; after an interrupt
 * 130 (SIGINT), 143 (SIGTERM), 141 (the output pipe closed).
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.stdout('velocity 0.1.0\n');
    return 0;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    io.stderr(`velocity: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  try {
    const command = await entry.load();
    // Optional caches that cannot be written are skipped: one warning line each, the command goes on.
    return await collectCacheWarnings(
      (w) => io.stderr(`velocity: warning[CACHE_SKIPPED]: ${w.cache} not used: cannot write ${w.path} (${w.code}); continuing without it\n`),
      () => command(rest, io),
    );
  } catch (error) {
    // Interrupted between two binary runs: nothing went wrong, the user (or a closed pipe) asked velocity to stop.
    if (error instanceof BinaryInterruptedError) return InterruptSource.exitCode(error.interrupt);
    if (error instanceof VelocityError) {
      io.stderr(`velocity: error[${error.code}]: ${error.message}\n`);
      if (io.env['VELOCITY_DEBUG']) io.stderr(`${error.stack ?? ''}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`velocity: internal error: ${message}\n(this is a bug in velocity; rerun with VELOCITY_DEBUG=1 for details)\n`);
    if (io.env['VELOCITY_DEBUG'] && error instanceof Error) io.stderr(`${error.stack ?? ''}\n`);
    return 70;
  }
}
