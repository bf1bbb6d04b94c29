// Whether a PostgreSQL server is serving a cluster directory, read from its `postmaster.pid` (line 1 pid, line 4
// port, line 8 status) and the process table. Guarantees: a pid file whose process is gone, or is a zombie, or is
// some other program (a pid reused after a reboot), reads as 'stopped' or 'foreign', never as a live server.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What `postmaster.pid` says, checked against the process table. */
export type EmbeddedPostgresStatus =
  | { readonly state: 'stopped' }
  /** A live process holds the pid file but is not `postgres`: the file is stale. */
  | { readonly state: 'foreign'; readonly pid: number }
  | { readonly state: 'starting' | 'ready' | 'stopping'; readonly pid: number; readonly port: number };

async function processState(pid: number): Promise<'dead' | 'alive' | 'foreign'> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return 'dead';
  }
  // NOTE: Linux only; elsewhere a live pid is taken at its word.
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return 'alive';
  // "pid (comm) S ...": comm may hold spaces and parentheses, the state follows the last ')'.
  const close = stat.lastIndexOf(')');
  const state = stat.slice(close + 2, close + 3);
  if (state === 'Z' || state === 'X') return 'dead';
  const comm = stat.slice(stat.indexOf('(') + 1, close);
  return comm.startsWith('postgres') ? 'alive' : 'foreign';
}

/** Reads the status of the server for `dataDir`. O(1): one small file and one process-table lookup. */
export async function embeddedPostgresStatus(dataDir: string): Promise<EmbeddedPostgresStatus> {
  const text = await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  if (text === undefined) return { state: 'stopped' };
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  if (!Number.isSafeInteger(pid) || pid <= 0) return { state: 'stopped' };
  const alive = await processState(pid);
  if (alive === 'dead') return { state: 'stopped' };
  if (alive === 'foreign') return { state: 'foreign', pid };
  const port = Number(lines[3]);
  const status = (lines[7] ?? '').trim();
  const state = status === 'ready' ? 'ready' : status === 'stopping' ? 'stopping' : 'starting';
  return { state, pid, port: Number.isSafeInteger(port) && port > 0 ? port : 0 };
}
