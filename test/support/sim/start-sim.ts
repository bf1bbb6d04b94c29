// startSim: launch a simulated provider (child process by default, or in-process) and return a typed client for its
// control API plus the env Terraform needs to reach it. Guarantees: own temp dir and socket per sim; stop() kills the
// child and removes the dir; a sim still running when this process exits is killed then (or when its stdin closes).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SimBehaviour, SimCounters, SimFailures } from './sim-cloud.js';
import { hostSim, type SimEndpoints } from './sim-host.js';
import { SIM_PROVIDER_SOURCE, type KnownSimObject } from './sim-values.js';

/** Options of startSim. */
export interface StartSimOptions extends SimBehaviour {
  /**
   * Serve from this process instead of a child. A child (the default) keeps the sim's CPU out of the measuring
   * process (benchmarks); in-process starts faster and suits tests that need no measurement.
   * @default false
   */
  inProcess?: boolean;
  /** Give up starting the child after this many ms. @default 20000 */
  startTimeoutMs?: number;
}

/** A running sim. Every control method talks to the HTTP control endpoint. */
export interface SimServer extends SimEndpoints {
  /** The sim's private temp dir (socket, CLI config). Removed by stop(). */
  readonly dir: string;
  /** Env to add to terraform's environment: TF_REATTACH_PROVIDERS and TF_CLI_CONFIG_FILE (checkpoint disabled). */
  reattachEnv(): Record<string, string>;
  /** Call counts since the last reset. */
  counters(): Promise<SimCounters>;
  /** Zero the counters (do this before each measured terraform command: the sim outlives commands). */
  resetCounters(): Promise<void>;
  /** Set the ReadResource latency in ms (0..60000). */
  setLatency(ms: number): Promise<void>;
  /** Replace the injected failures (names are `sim_resource.name` values); `{}` clears them. */
  failOn(failures: SimFailures): Promise<void>;
  /** Change the remote object's `value` behind Terraform's back. */
  injectDrift(name: string, value: string | null): Promise<void>;
  /** Delete the remote object behind Terraform's back: the next read answers "gone". */
  deleteObject(name: string): Promise<void>;
  /** Every object in the simulated cloud, sorted by id. */
  objects(): Promise<KnownSimObject[]>;
  /** Hold the ApplyResourceChange of these names until releaseApplies() (each at most `timeoutMs`, default 60 s). */
  holdApplies(names: readonly string[], timeoutMs?: number): Promise<void>;
  /** Release every held apply and clear the hold. */
  releaseApplies(): Promise<void>;
  /** Applies waiting on the hold now. */
  heldApplies(): Promise<number>;
  /** Stop the sim and remove its dir. Idempotent. */
  stop(): Promise<void>;
}

const live = new Set<{ child?: ChildProcess; dir: string }>();
let exitHookInstalled = false;

/** Start a sim. O(1); a child takes ~0.3-1 s to start (tsx), in-process a few ms. */
export async function startSim(options: StartSimOptions = {}): Promise<SimServer> {
  installExitHook();
  const dir = mkdtempSync(join(tmpdir(), 'velocity-sim-'));
  const cliConfig = join(dir, 'cli.tfrc');
  writeFileSync(cliConfig, 'disable_checkpoint = true\n');
  const behaviour: SimBehaviour = {};
  if (options.readLatencyMs !== undefined) behaviour.readLatencyMs = options.readLatencyMs;
  if (options.failOn !== undefined) behaviour.failOn = options.failOn;
  if (options.adoptUnknown !== undefined) behaviour.adoptUnknown = options.adoptUnknown;

  const entry: { child?: ChildProcess; dir: string } = { dir };
  live.add(entry);
  let endpoints: SimEndpoints;
  let shutdown: () => Promise<void>;
  try {
    if (options.inProcess === true) {
      const hosted = await hostSim(dir, behaviour);
      endpoints = hosted;
      shutdown = () => hosted.close();
    } else {
      const child = launchChild(dir, behaviour);
      entry.child = child;
      endpoints = await readyLine(child, options.startTimeoutMs ?? 20_000);
      shutdown = () => stopChild(child);
    }
  } catch (err) {
    entry.child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    live.delete(entry);
    throw err;
  }

  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const res = await fetch(`${endpoints.controlUrl}${path}`, init);
    const payload = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(`sim control ${method} ${path}: ${payload.error ?? res.status}`);
    return payload;
  };

  let stopped: Promise<void> | undefined;
  return {
    pid: endpoints.pid,
    socketPath: endpoints.socketPath,
    controlUrl: endpoints.controlUrl,
    dir,
    reattachEnv: () => ({
      TF_REATTACH_PROVIDERS: JSON.stringify({
        [SIM_PROVIDER_SOURCE]: {
          Protocol: 'grpc',
          ProtocolVersion: 6,
          Pid: endpoints.pid,
          Test: true,
          Addr: { Network: 'unix', String: endpoints.socketPath },
        },
      }),
      TF_CLI_CONFIG_FILE: cliConfig,
    }),
    counters: () => call<SimCounters>('GET', '/counters'),
    resetCounters: async () => {
      await call('POST', '/counters/reset', {});
    },
    setLatency: async (ms) => {
      await call('POST', '/latency', { ms });
    },
    failOn: async (failures) => {
      await call('POST', '/fail', failures);
    },
    injectDrift: async (name, value) => {
      await call('POST', '/drift', { name, value });
    },
    deleteObject: async (name) => {
      await call('POST', '/delete', { name });
    },
    objects: () => call<KnownSimObject[]>('GET', '/objects'),
    holdApplies: async (names, timeoutMs = 60_000) => {
      await call('POST', '/hold', { apply: names, timeoutMs });
    },
    releaseApplies: async () => {
      await call('POST', '/release', {});
    },
    heldApplies: async () => (await call<{ held: number }>('GET', '/held')).held,
    stop: () => {
      stopped ??= (async () => {
        try {
          await shutdown();
        } finally {
          rmSync(dir, { recursive: true, force: true });
          live.delete(entry);
        }
      })();
      return stopped;
    },
  };
}

function launchChild(dir: string, behaviour: SimBehaviour): ChildProcess {
  const require = createRequire(import.meta.url);
  const tsxLoader = pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs')).href;
  const main = fileURLToPath(new URL('./sim-main.ts', import.meta.url));
  return spawn(process.execPath, ['--import', tsxLoader, main, dir, JSON.stringify(behaviour)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

function readyLine(child: ChildProcess, timeoutMs: number): Promise<SimEndpoints> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const fail = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const nl = buffered.indexOf('\n');
      if (nl < 0) return;
      cleanup();
      try {
        resolve(JSON.parse(buffered.slice(0, nl)) as SimEndpoints);
      } catch (err) {
        reject(new Error(`sim child printed an unreadable ready line: ${String(err)}`));
      }
    };
    const onExit = (code: number | null, signal: string | null): void =>
      fail(new Error(`sim child exited before it was ready (code ${code}, signal ${signal})`));
    const timer = setTimeout(() => fail(new Error(`sim child not ready after ${timeoutMs} ms`)), timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', fail);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', fail);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin?.end();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const entry of live) {
      entry.child?.kill('SIGKILL');
      rmSync(entry.dir, { recursive: true, force: true });
    }
  });
}
