// `npm run bench:serve` (issue 13): K concurrent workers, each running `velocity apply` of one customer's change on
// one sim state (100,000 resources by default, 20 ms reads) served by `velocity serve`, with resource locks on the
// change cone (`cone`) against one whole-state lock (`--lock-scope state`). Every apply is checked (exit 0, one
// in-place update planned and applied); after each phase the served state must hold every applied change (lost
// updates, must be 0) and its serial must have moved once per apply. A failed check is reported, never hidden.
//
//   npm run bench:serve                                            # 100,001 resources, K = 1,2,4,8,16, both modes
//   BENCH_SERVE_SIZE=2000 BENCH_SERVE_WORKERS=1,2 npm run bench:serve
//   env: BENCH_SERVE_SIZE (resources, default 100000), BENCH_SERVE_WORKERS (default 1,2,4,8,16),
//        BENCH_SERVE_APPLIES (applies per worker per phase, default 2), BENCH_SERVE_MODES (default cone,state),
//        BENCH_SERVE_LATENCY_MS (sim read latency, default 20), BENCH_SERVE_TIMEOUT_MIN (whole run, default 100),
//        BENCH_SERVE_LOCK_TIMEOUT (-lock-timeout of every apply, default 30m), BENCH_SERVE_WARMUP=0 (no warm-up apply),
//        BENCH_DIR (default /var/tmp/velocity-bench-serve), BENCH_KEEP=1, BENCH_TERRAFORM,
//        DATABASE_URL (else an embedded PostgreSQL in a temp data dir, started here so its CPU and RSS are measured)

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { backendBlock } from '../src/serve/backend-block.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/lock/start-embedded-postgres.js';
import { startSim, type SimServer } from '../test/support/sim/start-sim.js';
import { writeSimWorkspace, type SimWorkspace, type SimWorkspaceOptions } from '../test/support/sim/write-sim-workspace.js';
import { deviceValues, lostUpdates, type SimStateDocument } from './lost-updates.js';
import { findTerraform, fmtMB, fmtS, load1, median, runMeasured, setupStep, tailOf } from './bench-process.js';
import { checkApply, checkPlan, ONE_CHANGE } from './terraform-summary.js';
import { startTreeRssSampler, treeOf, type TreeRssSampler } from './tree-rss.js';

const repo = resolve(import.meta.dirname, '..');
const velocityBin = join(repo, 'bin', 'velocity.js');
const SIZE = Number(process.env['BENCH_SERVE_SIZE'] ?? 100_000);
const WORKERS = (process.env['BENCH_SERVE_WORKERS'] ?? '1,2,4,8,16').split(',').map((s) => Number(s.trim()));
const APPLIES = Number(process.env['BENCH_SERVE_APPLIES'] ?? 2);
type Mode = 'cone' | 'state';
const MODES = (process.env['BENCH_SERVE_MODES'] ?? 'cone,state').split(',').map((s) => s.trim()) as Mode[];
const LATENCY_MS = Number(process.env['BENCH_SERVE_LATENCY_MS'] ?? 20);
const TIMEOUT_MS = Number(process.env['BENCH_SERVE_TIMEOUT_MIN'] ?? 100) * 60_000;
const LOCK_TIMEOUT = process.env['BENCH_SERVE_LOCK_TIMEOUT'] ?? '30m';
const WARMUP = process.env['BENCH_SERVE_WARMUP'] !== '0';
const BENCH_DIR = resolve(process.env['BENCH_DIR'] ?? '/var/tmp/velocity-bench-serve');
const KEEP = process.env['BENCH_KEEP'] === '1';
const DATABASE_URL = process.env['DATABASE_URL'] || undefined;
/** The goal: cone-mode throughput at this many workers at least GOAL_SHARE of the machine's ceiling. */
const GOAL_WORKERS = 16;
const GOAL_SHARE = 0.8;
/** Linux clock ticks per second (/proc/<pid>/stat times). */
const CLK_TCK = 100;
const SHAPE = { tunnelsPerCustomer: 4, devicesPerCustomer: 20, customersIn: 'tfvars-json' } as const;

// ---------------------------------------------------------------------------------------------------------------
// Process figures from /proc.

/** CPU ms of one process: own utime + stime, plus its reaped children's. 0 when gone. O(1). */
function procCpuMs(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return ((Number(x[11]) + Number(x[12]) + Number(x[13]) + Number(x[14])) * 1000) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** CPU ms of a process tree (each live process with its reaped children). O(tree). */
const treeCpuMs = (root: number): number => treeOf(root).reduce((a, p) => a + procCpuMs(p), 0);

/** The postmaster's pid from `postmaster.pid` in the cluster directory. O(1). */
const postmasterPid = (dataDir: string): number => Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

// ---------------------------------------------------------------------------------------------------------------
// The server: `velocity serve` as a child process, and its API.

interface Serve {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

async function startServe(databaseUrl: string, schema: string, env: NodeJS.ProcessEnv): Promise<Serve> {
  const child = spawn(process.execPath, [velocityBin, 'serve', '--listen', '127.0.0.1:0', '--schema', schema], { env: { ...env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const exited = new Promise<void>((ok) => child.on('close', () => ok()));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`velocity serve did not start in 60 s: ${err}`)), 60_000);
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      if (err.length > 1 << 20) err = err.slice(-(1 << 19)); // a long run logs; keep the tail
      const m = /listening on (http:\/\/\S+) /.exec(err);
      if (m) {
        clearTimeout(timer);
        ok(m[1] as string);
      }
    });
    child.on('close', () => fail(new Error(`velocity serve exited: ${err}`)));
  });
  return {
    url,
    pid: child.pid as number,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * One request to the server. A GET that fails below HTTP (e.g. a kept-alive socket the server closed meanwhile) is
 * tried again, at most 3 times; a write is never repeated.
 */
async function api(url: string, init: RequestInit = {}): Promise<{ status: number; text: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10 * 60_000) });
      return { status: res.status, text: await res.text() };
    } catch (e) {
      if ((init.method ?? 'GET') !== 'GET' || attempt >= 3) throw new Error(`${init.method ?? 'GET'} ${url}: ${(e as Error).message} (${String((e as { cause?: unknown }).cause ?? '')})`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** The state's serial and current version, from `/api/v1/states/{guid}`. */
async function stateSummary(server: string, guid: string): Promise<{ serial: number; version: number }> {
  const r = await api(`${server}/api/v1/states/${guid}`);
  if (r.status !== 200) throw new Error(`GET /api/v1/states/${guid}: ${r.status} ${r.text}`);
  const s = JSON.parse(r.text) as { serial: number; version: number };
  return { serial: s.serial, version: s.version };
}

/** Every device value of the served state, keyed `customer/device`: GET /tfstate/{guid} (the streamed document). O(state). */
async function servedDeviceValues(server: string, guid: string): Promise<Map<string, string>> {
  const r = await api(`${server}/tfstate/${guid}`);
  if (r.status !== 200) throw new Error(`GET /tfstate/${guid}: ${r.status} ${r.text.slice(0, 200)}`);
  return deviceValues(JSON.parse(r.text) as SimStateDocument);
}

// ---------------------------------------------------------------------------------------------------------------
// Workers and phases.

interface Worker {
  readonly index: number;
  readonly dir: string;
  readonly ws: SimWorkspace;
  readonly env: NodeJS.ProcessEnv;
}

interface ApplyRun {
  worker: number;
  customer: string;
  device: string;
  value: string;
  wallMs: number;
  /** user + sys of the whole apply process tree (velocity and the terraform it runs), from /usr/bin/time. */
  cpuMs: number;
  peakRssKiB: number;
  ok: boolean;
  problem: string | null;
  /** The report's step durations, when written. */
  durationsMs: Record<string, number> | null;
}

interface Phase {
  mode: Mode;
  workers: number;
  appliesPerWorker: number;
  runs: ApplyRun[];
  wallMs: number;
  /** Successful applies per minute over the phase's wall time. */
  perMinute: number;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Mean user+sys per successful apply of the worker's process tree. */
  cpuPerApplyS: number | null;
  /** cores ÷ cpuPerApplyS, per minute. */
  ceilingPerMinute: number | null;
  shareOfCeiling: number | null;
  /** The same counting the server, its database and the sim too (everything an apply costs this machine). */
  allInCpuPerApplyS: number | null;
  allInShareOfCeiling: number | null;
  serveCpuS: number;
  dbCpuS: number | null;
  simCpuS: number;
  servePeakRssKiB: number;
  dbPeakRssKiB: number | null;
  lostUpdates: number;
  lost: string[];
  serialBefore: number;
  serialAfter: number;
  versionsAdded: number;
  cutByTimeout: number;
  loadStart: number;
  loadEnd: number;
}

/** Nearest-rank percentile of a non-empty list. O(n log n). */
function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

/** `/usr/bin/time -f '%U %S'` output: user + sys in ms, or null. */
function readTime(path: string): number | null {
  if (!existsSync(path)) return null;
  const m = /(\d+\.\d+) (\d+\.\d+)\s*$/.exec(readFileSync(path, 'utf8'));
  return m ? (Number(m[1]) + Number(m[2])) * 1000 : null;
}

interface Ctx {
  readonly tf: string;
  readonly server: Serve;
  readonly guid: string;
  readonly sim: SimServer;
  readonly db: EmbeddedPostgres | undefined;
  readonly deadline: number;
  /** The latest value applied per `customer/device`: what the served state must hold. */
  readonly expected: Map<string, string>;
  readonly customers: readonly string[];
  readonly devices: readonly string[];
  /** Edits so far (the next distinct customer). */
  next: number;
}

/** One apply by one worker: edit one device value of the next customer, `velocity apply`, check. */
async function applyOnce(ctx: Ctx, w: Worker, mode: Mode, tag: string): Promise<ApplyRun> {
  const g = ctx.next++;
  const customer = ctx.customers[g % ctx.customers.length] as string;
  const device = ctx.devices[Math.floor(g / ctx.customers.length) % ctx.devices.length] as string;
  const value = `${tag}-w${w.index}-${g}`;
  w.ws.setDeviceValue(customer, device, value);
  const address = w.ws.device(customer, device).address;
  const report = join(w.dir, 'report.json');
  const timeFile = join(w.dir, 'time.txt');
  rmSync(report, { force: true });
  rmSync(timeFile, { force: true });
  const argv = [
    '/usr/bin/time', '-f', '%U %S', '-o', timeFile,
    process.execPath, velocityBin, 'apply', '--binary', ctx.tf, '--mode', 'inject', '--changed', address, '--report', report,
    ...(mode === 'state' ? ['--lock-scope', 'state'] : []),
    '-auto-approve', '-input=false', '-no-color', `-lock-timeout=${LOCK_TIMEOUT}`,
  ];
  const timeoutMs = Math.max(60_000, ctx.deadline - Date.now() + 5 * 60_000);
  const r = await runMeasured(argv, w.dir, w.env, timeoutMs, 250);
  const cpuMs = readTime(timeFile);
  let problem: string | null = null;
  if (r.code === null) problem = `killed (no exit within ${fmtS(timeoutMs)}): ${tailOf(r)}`;
  else if (r.code !== 0) problem = `exit ${r.code}: ${tailOf(r)}`;
  else problem = checkPlan(r.stdout, ONE_CHANGE) ?? checkApply(r.stdout, ONE_CHANGE);
  let durationsMs: Record<string, number> | null = null;
  if (existsSync(report)) {
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { mode?: string; durationsMs?: Record<string, number> };
    durationsMs = rep.durationsMs ?? null;
    if (!problem && rep.mode !== 'inject') problem = `ran ${rep.mode ?? 'unknown'}, not inject`;
  } else if (!problem) problem = 'no --report written';
  if (problem === null) ctx.expected.set(`${customer}/${device}`, value);
  else {
    // The edit stays in this worker's config; the state may or may not hold it: expect nothing for that device.
    ctx.expected.delete(`${customer}/${device}`);
    process.stderr.write(`bench:serve ${tag} worker ${w.index}: apply of ${address} FAILED: ${problem}\n`);
  }
  return { worker: w.index, customer, device, value, wallMs: r.wallMs, cpuMs: cpuMs ?? 0, peakRssKiB: r.rss.peakKiB, ok: problem === null, problem, durationsMs };
}

async function runPhase(ctx: Ctx, pool: Worker[], mode: Mode, k: number): Promise<Phase> {
  const tag = `${mode}-k${k}`;
  const workers = pool.slice(0, k);
  const before = await stateSummary(ctx.server.url, ctx.guid);
  const serveSampler: TreeRssSampler = startTreeRssSampler(ctx.server.pid, 250);
  const dbPid = ctx.db ? postmasterPid(ctx.db.dataDir) : undefined;
  const dbSampler = dbPid === undefined ? undefined : startTreeRssSampler(dbPid, 250);
  const cpu0 = { serve: procCpuMs(ctx.server.pid), db: dbPid === undefined ? 0 : treeCpuMs(dbPid), sim: treeCpuMs(ctx.sim.pid) };
  const loadStart = load1();
  let cut = 0;
  const t0 = performance.now();
  const runs = (
    await Promise.all(
      workers.map(async (w) => {
        const mine: ApplyRun[] = [];
        for (let i = 0; i < APPLIES; i++) {
          if (Date.now() > ctx.deadline) {
            cut += APPLIES - i;
            break;
          }
          mine.push(await applyOnce(ctx, w, mode, tag));
        }
        return mine;
      }),
    )
  ).flat();
  const wallMs = performance.now() - t0;
  const serveCpuS = (procCpuMs(ctx.server.pid) - cpu0.serve) / 1000;
  const dbCpuS = dbPid === undefined ? null : (treeCpuMs(dbPid) - cpu0.db) / 1000;
  const simCpuS = (treeCpuMs(ctx.sim.pid) - cpu0.sim) / 1000;
  const servePeak = serveSampler.stop().peakKiB;
  const dbPeak = dbSampler ? dbSampler.stop().peakKiB : null;
  const loadEnd = load1();
  const after = await stateSummary(ctx.server.url, ctx.guid);
  const served = await servedDeviceValues(ctx.server.url, ctx.guid);
  const lost = lostUpdates(ctx.expected, served);
  const ok = runs.filter((r) => r.ok);
  const cores = cpus().length;
  const cpuPerApplyS = ok.length ? ok.reduce((a, r) => a + r.cpuMs, 0) / ok.length / 1000 : null;
  const perMinute = (ok.length / wallMs) * 60_000;
  const ceiling = cpuPerApplyS ? (cores / cpuPerApplyS) * 60 : null;
  const allIn = cpuPerApplyS === null ? null : cpuPerApplyS + (serveCpuS + (dbCpuS ?? 0) + simCpuS) / ok.length;
  const phase: Phase = {
    mode,
    workers: k,
    appliesPerWorker: APPLIES,
    runs,
    wallMs,
    perMinute,
    p50Ms: ok.length ? percentile(ok.map((r) => r.wallMs), 50) : null,
    p99Ms: ok.length ? percentile(ok.map((r) => r.wallMs), 99) : null,
    cpuPerApplyS,
    ceilingPerMinute: ceiling,
    shareOfCeiling: ceiling ? perMinute / ceiling : null,
    allInCpuPerApplyS: allIn,
    allInShareOfCeiling: allIn ? perMinute / ((cores / allIn) * 60) : null,
    serveCpuS,
    dbCpuS,
    simCpuS,
    servePeakRssKiB: servePeak,
    dbPeakRssKiB: dbPeak,
    lostUpdates: lost.length,
    lost: lost.slice(0, 20),
    serialBefore: before.serial,
    serialAfter: after.serial,
    versionsAdded: after.version - before.version,
    cutByTimeout: cut,
    loadStart,
    loadEnd,
  };
  process.stderr.write(
    `bench:serve ${tag}: ${ok.length}/${runs.length} ok in ${fmtS(wallMs)}: ${perMinute.toFixed(1)}/min, p50 ${phase.p50Ms === null ? '-' : fmtS(phase.p50Ms)}, ` +
      `CPU/apply ${cpuPerApplyS?.toFixed(2) ?? '-'} s, ${phase.shareOfCeiling === null ? '-' : `${(phase.shareOfCeiling * 100).toFixed(0)}%`} of ceiling, lost ${lost.length}, ` +
      `serial ${before.serial} -> ${after.serial}, load ${loadStart.toFixed(1)} -> ${loadEnd.toFixed(1)}\n`,
  );
  return phase;
}

// ---------------------------------------------------------------------------------------------------------------
// Output.

const pct = (x: number | null): string => (x === null ? '-' : `${(x * 100).toFixed(0)}%`);

function table(phases: readonly Phase[]): string {
  const lines = [
    '| lock scope | workers | applies ok | phase wall | applies/min | p50 / p99 per apply | CPU s per apply (client tree) | ceiling/min (cores ÷ CPU) | % of ceiling | + server, db, sim CPU s per apply | % of all-in ceiling | serve peak RSS | db peak RSS | lost updates | serial (Δ, versions) | load 1-min |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  // NOTE: by workers, then the order of BENCH_SERVE_MODES (the run order may differ: BENCH_SERVE_WORKERS as given).
  for (const p of [...phases].sort((a, b) => a.workers - b.workers || MODES.indexOf(a.mode) - MODES.indexOf(b.mode))) {
    const ok = p.runs.filter((r) => r.ok).length;
    const failed = p.runs.length - ok;
    const applies = `${ok}${failed ? ` (+${failed} FAILED)` : ''}${p.cutByTimeout ? ` (${p.cutByTimeout} cut by timeout)` : ''}`;
    const extra = p.allInCpuPerApplyS !== null && p.cpuPerApplyS !== null ? (p.allInCpuPerApplyS - p.cpuPerApplyS).toFixed(2) : '-';
    lines.push(
      `| ${p.mode} | ${p.workers} | ${applies} | ${fmtS(p.wallMs)} | ${p.perMinute.toFixed(1)} | ${p.p50Ms === null ? '-' : fmtS(p.p50Ms)} / ${p.p99Ms === null ? '-' : fmtS(p.p99Ms)} | ` +
        `${p.cpuPerApplyS?.toFixed(2) ?? '-'} | ${p.ceilingPerMinute?.toFixed(1) ?? '-'} | ${pct(p.shareOfCeiling)} | ${extra} | ${pct(p.allInShareOfCeiling)} | ` +
        `${fmtMB(p.servePeakRssKiB)} | ${p.dbPeakRssKiB === null ? '-' : fmtMB(p.dbPeakRssKiB)} | ${p.lostUpdates} | ${p.serialBefore} -> ${p.serialAfter} (+${p.serialAfter - p.serialBefore}, ${p.versionsAdded} versions) | ${p.loadStart.toFixed(1)} -> ${p.loadEnd.toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}

function goals(phases: readonly Phase[]): [string, string][] {
  const at = (mode: Mode, k: number): Phase | undefined => phases.find((p) => p.mode === mode && p.workers === k);
  const rows: [string, string][] = [];
  const cone = at('cone', GOAL_WORKERS);
  const failedIn = (p: Phase): number => p.runs.filter((r) => !r.ok).length;
  rows.push([
    `cone: throughput at ${GOAL_WORKERS} workers >= ${GOAL_SHARE * 100}% of the ceiling (cores ÷ CPU s per apply)`,
    !cone
      ? `FAIL: not measured (BENCH_SERVE_WORKERS has no ${GOAL_WORKERS}, or the cone mode did not run)`
      : failedIn(cone) > 0 || cone.shareOfCeiling === null
        ? `FAIL: ${failedIn(cone)} failed apply(s)${cone.runs.find((r) => !r.ok)?.problem ? `: ${cone.runs.find((r) => !r.ok)?.problem}` : ''}`
        : `${cone.shareOfCeiling >= GOAL_SHARE ? 'PASS' : 'FAIL'}: ${pct(cone.shareOfCeiling)} (${cone.perMinute.toFixed(1)} of ${cone.ceilingPerMinute?.toFixed(1)} applies/min; all-in ${pct(cone.allInShareOfCeiling)})`,
  ]);
  for (const mode of MODES) {
    const ps = phases.filter((p) => p.mode === mode && p.perMinute > 0).sort((a, b) => a.workers - b.workers);
    const first = ps[0];
    const last = ps.at(-1);
    if (first && last && first !== last) rows.push([`${mode}: applies/min from ${first.workers} to ${last.workers} workers`, `${first.perMinute.toFixed(1)} -> ${last.perMinute.toFixed(1)} (${(last.perMinute / first.perMinute).toFixed(2)}x)`]);
  }
  const lost = phases.reduce((a, p) => a + p.lostUpdates, 0);
  rows.push(['lost updates (every phase, every applied change present in the served state) = 0', `${lost === 0 ? 'PASS' : 'FAIL'}: ${lost}`]);
  const serialOff = phases.filter((p) => p.serialAfter - p.serialBefore !== p.runs.filter((r) => r.ok).length);
  rows.push([
    'served serial moved by exactly the number of successful applies (each phase)',
    serialOff.length === 0 ? 'PASS' : `FAIL: ${serialOff.map((p) => `${p.mode} K=${p.workers}: +${p.serialAfter - p.serialBefore} for ${p.runs.filter((r) => r.ok).length}`).join('; ')}`,
  ]);
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!existsSync(join(repo, 'dist', 'cli', 'main.js'))) throw new Error('run `npm run build` first (npm run bench:serve does)');
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time (GNU time) is needed for the CPU of each apply process tree');
  if (!Number.isInteger(SIZE) || SIZE < 26) throw new Error(`BENCH_SERVE_SIZE: ${SIZE} is not a size of at least 26`);
  for (const k of WORKERS) if (!Number.isInteger(k) || k < 1) throw new Error(`BENCH_SERVE_WORKERS: ${k} is not a positive integer`);
  for (const m of MODES) if (m !== 'cone' && m !== 'state') throw new Error(`BENCH_SERVE_MODES: ${m} is not cone or state`);
  if (!Number.isInteger(APPLIES) || APPLIES < 1) throw new Error(`BENCH_SERVE_APPLIES: ${APPLIES} is not a positive integer`);
  const started = new Date();
  const deadline = Date.now() + TIMEOUT_MS;
  const tf = findTerraform();
  const tfVersion = (JSON.parse(spawnSync(tf, ['version', '-json'], { encoding: 'utf8' }).stdout) as { terraform_version: string }).terraform_version;
  const customersN = Math.max(1, Math.round((SIZE - 1) / 25));
  const maxK = Math.max(...WORKERS);
  if (maxK * APPLIES > customersN) throw new Error(`BENCH_SERVE_SIZE ${SIZE} has ${customersN} customers: too few for ${maxK} workers x ${APPLIES} distinct customers`);
  const root = join(BENCH_DIR, `run-${process.pid}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const tfrc = join(root, 'terraformrc');
  writeFileSync(tfrc, 'disable_checkpoint = true\n');
  const pluginCache = join(root, 'plugin-cache');
  mkdirSync(pluginCache, { recursive: true });
  const uptime = (): string => spawnSync('uptime', { encoding: 'utf8' }).stdout.trim();
  const uptimeStart = uptime();
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_PLUGIN_CACHE_DIR: pluginCache };
  delete baseEnv['DATABASE_URL']; // the workers' velocity must not find a lock database of its own

  let db: EmbeddedPostgres | undefined;
  let server: Serve | undefined;
  let sim: SimServer | undefined;
  const phases: Phase[] = [];
  const errors: string[] = [];
  let setupMs = 0;
  let resources = 0;
  try {
    const t0 = performance.now();
    let dbUrl = DATABASE_URL;
    if (dbUrl === undefined) {
      db = await startEmbeddedPostgres({ dataDir: join(root, 'pg') });
      dbUrl = db.url;
    }
    const schema = `bench_serve_${process.pid}`;
    server = await startServe(dbUrl, schema, baseEnv);
    process.stderr.write(`bench:serve: velocity serve at ${server.url} (pid ${server.pid}), database ${db ? `embedded in ${db.dataDir}` : 'DATABASE_URL'}, schema ${schema}\n`);
    sim = await startSim({ readLatencyMs: LATENCY_MS });
    const opts: SimWorkspaceOptions = { customers: customersN, ...SHAPE };
    // The state: generated as an apply would write it, registered and pushed through the API (one whole write).
    const seed = writeSimWorkspace(join(root, 'seed'), { ...opts, withState: true });
    resources = seed.resourceCount;
    const guid = uuidv7();
    const created = await api(`${server.url}/api/v1/states`, { method: 'POST', body: JSON.stringify({ guid, logic_id: `bench-serve-${resources}` }), headers: { 'content-type': 'application/json' } });
    if (created.status !== 201) throw new Error(`POST /api/v1/states: ${created.status} ${created.text}`);
    const stateBytes = readFileSync(join(seed.dir, 'terraform.tfstate'));
    process.stderr.write(`bench:serve: pushing the ${resources}-resource state (${(stateBytes.length / 1e6).toFixed(1)} MB)\n`);
    const pushed = await api(`${server.url}/tfstate/${guid}`, { method: 'POST', body: stateBytes, headers: { 'content-type': 'application/json' } });
    if (pushed.status !== 200) throw new Error(`POST /tfstate/${guid}: ${pushed.status} ${pushed.text}`);
    rmSync(seed.dir, { recursive: true, force: true });
    // The workers: each its own workspace (same configuration), .terraform initialised against the server's backend.
    const simEnv = { ...baseEnv, ...sim.reattachEnv(), TF_CLI_CONFIG_FILE: tfrc };
    const pool: Worker[] = [];
    for (let i = 0; i < maxK; i++) {
      const dir = join(root, `worker-${String(i).padStart(2, '0')}`);
      const ws = writeSimWorkspace(dir, opts);
      writeFileSync(join(dir, 'backend.tf'), backendBlock(server.url, guid));
      setupStep([tf, 'init', '-input=false', '-no-color'], dir, simEnv);
      pool.push({ index: i, dir, ws, env: { ...simEnv, VELOCITY_CACHE_DIR: join(dir, '.velocity-cache') } });
    }
    const ctx: Ctx = { tf, server, guid, sim, db, deadline, expected: new Map(), customers: seed.customers, devices: seed.devices, next: 0 };
    if (WARMUP) {
      // One unmeasured apply (page cache, the server's first queries), then its change is expected like any other.
      process.stderr.write('bench:serve: warm-up apply (not measured)\n');
      const warm = await applyOnce(ctx, pool[0] as Worker, MODES[0] as Mode, 'warmup');
      if (!warm.ok) throw new Error(`warm-up apply failed: ${warm.problem}`);
    }
    setupMs = performance.now() - t0;
    // NOTE: per K both modes back to back (cone, state, next K), so a change in the machine's load hits both alike.
    for (const k of WORKERS) {
      for (const mode of MODES) {
        if (Date.now() > deadline) {
          errors.push(`${mode} K=${k}: not run (BENCH_SERVE_TIMEOUT_MIN reached)`);
          continue;
        }
        try {
          phases.push(await runPhase(ctx, pool, mode, k));
        } catch (e) {
          errors.push(`${mode} K=${k}: ${(e as Error).message}`);
          process.stderr.write(`bench:serve ${mode} K=${k}: ERROR ${(e as Error).message}\n`);
        }
      }
    }
  } catch (e) {
    errors.push(`setup: ${(e as Error).message}`);
    process.stderr.write(`bench:serve: ERROR ${(e as Error).message}\n`);
  } finally {
    await sim?.stop();
    await server?.stop();
    await db?.stop();
    if (!KEEP) rmSync(root, { recursive: true, force: true });
  }
  const uptimeEnd = uptime();
  const md = table(phases);
  const goalRows = goals(phases);
  const goalMd = ['| goal | result |', '|---|---|', ...goalRows.map(([g, r]) => `| ${g} | ${r} |`)].join('\n');
  const failed = errors.length > 0 || phases.some((p) => p.runs.some((r) => !r.ok) || p.lostUpdates > 0);
  const note =
    `${resources.toLocaleString('en-US')} resources (sim: ${Math.round((resources - 1) / 25)} customers x (1 site + 4 tunnels + 20 devices) + controller, customers in customers.auto.tfvars.json), ` +
    `${LATENCY_MS} ms per read; each apply = one device value of a distinct customer edited in the worker's own workspace, then ` +
    `\`velocity apply --mode inject --changed <device> -auto-approve -lock-timeout=${LOCK_TIMEOUT}\` (state: plus \`--lock-scope state\`). ` +
    `CPU per apply: user+sys of the apply's process tree (/usr/bin/time). Ceiling = ${cpus().length} cores ÷ CPU per apply; all-in adds the server's, the database's and the sim's CPU of the phase per apply. ` +
    `Setup (state push, ${WORKERS.length ? Math.max(...WORKERS) : 0} inits${WARMUP ? ', warm-up apply' : ''}): ${fmtS(setupMs)}. ` +
    `terraform ${tfVersion}, node ${process.version}, ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GiB.\nLoad: start "${uptimeStart}", end "${uptimeEnd}".`;
  process.stdout.write(`\n${md}\n\n${goalMd}\n\n${note}\n${errors.length ? `\nERRORS:\n${errors.join('\n')}\n` : ''}${failed ? '\nSOME APPLIES OR CHECKS FAILED (see the table).\n' : ''}`);
  mkdirSync(join(repo, 'bench', 'results'), { recursive: true });
  const steps = (p: Phase): Record<string, number> => {
    const ok = p.runs.filter((r) => r.ok && r.durationsMs);
    const keys = [...new Set(ok.flatMap((r) => Object.keys(r.durationsMs ?? {})))].sort();
    return Object.fromEntries(keys.map((k) => [k, median(ok.map((r) => r.durationsMs?.[k] ?? 0))]));
  };
  const json = `${JSON.stringify({ date: started.toISOString(), node: process.version, terraform: tfVersion, cpus: cpus().length, totalMemBytes: totalmem(), uptimeStart, uptimeEnd, resources, workers: WORKERS, appliesPerWorker: APPLIES, modes: MODES, latencyMs: LATENCY_MS, setupMs, phases: phases.map((p) => ({ ...p, medianStepsMs: steps(p) })), errors, goals: Object.fromEntries(goalRows), table: md, goalsTable: goalMd }, null, 2)}\n`;
  const out = join(repo, 'bench', 'results', `serve-${started.toISOString().slice(0, 16).replace(':', '')}.json`);
  writeFileSync(out, json);
  writeFileSync(join(repo, 'bench', 'results', 'serve-latest.json'), json);
  process.stdout.write(`\nwrote ${out}\n`);
  if (failed) process.exitCode = 1;
}

await main();
