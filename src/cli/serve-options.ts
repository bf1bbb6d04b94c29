// The options `velocity serve` and `velocity db` share (where the database is), and the token file both server and
// `velocity state` read. Guarantees: a token file that is missing or empty is a typed error naming it.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { VelocityError } from '../errors.js';
import type { CliIo } from './cli-io.js';

export const databaseOptions = {
  'database-url': { type: 'string' },
  'data-dir': { type: 'string' },
  schema: { type: 'string' },
} as const;

export const DATABASE_USAGE = `  --database-url URL  PostgreSQL to use (default: $DATABASE_URL, else an embedded server)
  --data-dir DIR      where the embedded server keeps its data (default: .velocity/server)
  --schema NAME       schema of velocity's tables (default: velocity)`;

/** Reads the token: the file's content without its trailing newline. O(file). @throws VelocityError TOKEN_FILE */
export async function readTokenFile(path: string, io: CliIo): Promise<string> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, path), 'utf8');
  } catch (error) {
    throw new VelocityError('TOKEN_FILE', `cannot read --token-file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const token = text.replace(/\r?\n$/, '');
  if (token === '' || /[\r\n]/.test(token)) throw new VelocityError('TOKEN_FILE', `--token-file ${path} must hold one non-empty line`);
  return token;
}
