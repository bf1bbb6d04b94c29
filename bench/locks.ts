// Lock throughput and latency on PostgreSQL (`npm run bench:locks`). Production profile: 500 changes a minute across
// 10,000 customers; goal: >= 30,000 lock/unlock pairs a minute with zero violations, and disjoint workloads that
// scale with clients where one global lock does not. Each scenario runs C concurrent clients (one connection each)
// for a fixed time; every change locks one customer's 5 resources, holds them for `hold` ms, and unlocks.
// Workloads: disjoint (each client its own customers), 10% overlap (one change in ten goes to 8 hot customers all
// clients share), and the baseline: one global lock (every change locks the same single row).
// An in-process auditor checks every acquisition: a resource already held by another handle is a violation.

import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { newLockInfo } from '../src/lock/lock-info.js';
import { PostgresResourceLockManager } from '../src/lock/postgres-resource-lock-manager.js';
import { startEmbeddedPostgres } from '../src/lock/start-embedded-postgres.js';

const CUSTOMERS = 10_000;
const RESOURCES_PER_CHANGE = 5;
const HOT = 8;
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 4);

type Workload = 'disjoint' | 'overlap10' | 'global';
interface Scenario {
  workload: Workload;
  /** false: acquisitions commit asynchronously (PostgresResourceLockManager option synchronousCommit). */
  durable: boolean;
  clients: number;
  holdMs: number;
}
interface Result extends Scenario {
  pairs: number;
  /** CPU time (this process + every PostgreSQL process) per lock/unlock pair. */
  cpuMsPerPair: number;
  pairsPerMinute: number;
  p50Ms: number;
  p99Ms: number;
  violations: number;
  timeouts: number;
}

function changeFor(workload: Workload, client: number, clients: number, i: number, rnd: () => number): string[] {
  if (workload === 'global') return ['terraform_data.state_lock'];
  let customer: number;
  if (workload === 'overlap10' && rnd() < 0.1) customer = Math.floor(rnd() * HOT);
  else {
    // Each client owns a slice of the customers above the hot ones.
    const slice = Math.floor((CUSTOMERS - HOT) / clients);
    customer = HOT + client * slice + (i % slice);
  }
  const c = `c${String(customer).padStart(5, '0')}`;
  return Array.from({ length: RESOURCES_PER_CHANGE }, (_, k) => `module.customer["${c}"].terraform_data.device["d${k}"]`);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/**
 * CPU seconds used so far by this process and by the PostgreSQL server (postmaster + all its children), from /proc.
 * NOTE: the machine is shared, so wall-clock throughput depends on everyone else's load; CPU per pair does not, and
 * gives the capacity of a dedicated core. Backends must still be alive when sampled (pools are closed afterwards).
 */
async function cpuSeconds(postmasterPid: number): Promise<number> {
  const own = process.cpuUsage();
  let ticks = 0;
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(entry);
    const ppid = Number(fields[1]);
    if (pid === postmasterPid || ppid === postmasterPid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (own.user + own.system) / 1e6 + ticks / 100;
}

async function runScenario(url: string, schema: string, s: Scenario, postmasterPid: number): Promise<Result> {
  const managers = await Promise.all(Array.from({ length: s.clients }, () => PostgresResourceLockManager.open({ connectionString: url, schema, maxConnections: 1, leaseMs: 60_000, synchronousCommit: s.durable })));
  // Open every client's connection before the clock starts.
  await Promise.all(managers.map((m) => m.locks()));
  const cpuBefore = await cpuSeconds(postmasterPid);
  const held = new Map<string, string>();
  const latencies: number[] = [];
  let violations = 0;
  let timeouts = 0;
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(
    managers.map(async (m, client) => {
      for (let i = 0; performance.now() < end; i++) {
        const set = changeFor(s.workload, client, s.clients, i, rnd);
        const t0 = performance.now();
        let h;
        try {
          h = await m.lockResources(set, newLockInfo({ who: `bench-${client}` }), { waitMs: 10_000 });
        } catch {
          timeouts++;
          continue;
        }
        latencies.push(performance.now() - t0);
        for (const r of h.resources) {
          if (held.has(r)) violations++;
          held.set(r, h.id);
        }
        if (s.holdMs > 0) await new Promise((r) => setTimeout(r, s.holdMs));
        for (const r of h.resources) if (held.get(r) === h.id) held.delete(r);
        await h.unlock();
      }
    }),
  );
  const cpu = (await cpuSeconds(postmasterPid)) - cpuBefore;
  await Promise.all(managers.map((m) => m.close()));
  latencies.sort((a, b) => a - b);
  return {
    ...s,
    pairs: latencies.length,
    cpuMsPerPair: Number(((cpu * 1000) / Math.max(1, latencies.length)).toFixed(3)),
    pairsPerMinute: Math.round((latencies.length / SECONDS) * 60),
    p50Ms: Number(percentile(latencies, 0.5).toFixed(2)),
    p99Ms: Number(percentile(latencies, 0.99).toFixed(2)),
    violations,
    timeouts,
  };
}

const root = await mkdtemp(join(tmpdir(), 'velocity-bench-pg-'));
const server = await startEmbeddedPostgres({ dataDir: join(root, 'data') });
try {
  const url = server.url;
  // NOTE: server.dataDir, not root/data: as root under a 0700 TMPDIR the cluster lives in a reachable stand-in.
  const postmasterPid = Number((await readFile(join(server.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const schema = 'bench_locks';
  const setup = await PostgresResourceLockManager.open({ connectionString: url, schema });

  // Uncontended single-client round trip, measured by tinybench.
  const bench = new Bench({ time: 1000, warmupTime: 200 });
  let n = 0;
  bench.add('lock+unlock, 1 client, uncontended', async () => {
    const h = await setup.lockResources(changeFor('disjoint', 0, 1, n++, Math.random), newLockInfo());
    await h.unlock();
  });
  await bench.run();
  const single = bench.tasks[0]?.result;
  const singleLatency = single && 'latency' in single ? single.latency : undefined;
  await setup.close();

  const scenarios: Scenario[] = [
    ...[true, false].flatMap((durable) => [
      { workload: 'disjoint' as const, durable, clients: 16, holdMs: 0 },
      { workload: 'overlap10' as const, durable, clients: 16, holdMs: 0 },
      { workload: 'global' as const, durable, clients: 16, holdMs: 0 },
    ]),
    ...[1, 4, 16].flatMap((clients) => [
      { workload: 'disjoint' as const, durable: true, clients, holdMs: 20 },
      { workload: 'global' as const, durable: true, clients, holdMs: 20 },
    ]),
  ];
  const results: Result[] = [];
  for (const s of scenarios) {
    const r = await runScenario(url, schema, s, postmasterPid);
    results.push(r);
    process.stderr.write(`${s.workload} durable=${s.durable} c=${s.clients} hold=${s.holdMs}: ${r.pairsPerMinute}/min\n`);
  }
  const baseline = (r: Scenario) => results.find((b) => b.workload === 'global' && b.durable === r.durable && b.clients === r.clients && b.holdMs === r.holdMs)?.pairsPerMinute ?? 1;
  const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const rows = results.map((r) => ({
    workload: r.workload === 'overlap10' ? '10% overlap' : r.workload === 'global' ? 'one global lock (baseline)' : 'disjoint',
    commit: r.durable ? 'sync' : 'async',
    clients: r.clients,
    'hold ms': r.holdMs,
    'pairs/min': r.pairsPerMinute,
    'vs global': `${(r.pairsPerMinute / baseline(r)).toFixed(1)}x`,
    'CPU ms/pair': r.cpuMsPerPair,
    'pairs/min per CPU core': Math.round(60_000 / Math.max(0.001, r.cpuMsPerPair)),
    'p50 acquire ms': r.p50Ms,
    'p99 acquire ms': r.p99Ms,
    violations: r.violations,
    'gave up': r.timeouts,
  }));
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`PostgreSQL row-level locks, ${SECONDS} s per scenario, ${RESOURCES_PER_CHANGE} resources per change, ${CUSTOMERS} customers; ${cpus().length} CPUs, load average ${load}; node peak RSS ${rssMb} MB`);
  if (singleLatency) console.log(`uncontended lock+unlock (tinybench): mean ${singleLatency.mean.toFixed(2)} ms, p99 ${(singleLatency.p99 ?? 0).toFixed(2)} ms`);
  console.table(rows);
  await mkdir(join(import.meta.dirname, 'results'), { recursive: true });
  await writeFile(
    join(import.meta.dirname, 'results', 'locks.json'),
    `${JSON.stringify({ date: new Date().toISOString(), cpus: cpus().length, loadAverage: load, secondsPerScenario: SECONDS, peakRssMb: rssMb, uncontended: singleLatency ? { meanMs: singleLatency.mean, p99Ms: singleLatency.p99 } : null, results }, null, 2)}\n`,
  );
} finally {
  await server.stop();
  await rm(root, { recursive: true, force: true });
  // A stand-in cluster outside `root` (see above) goes too.
  for (const p of [server.dataDir, `${server.dataDir}.lock`, `${server.dataDir}.log`]) await rm(p, { recursive: true, force: true });
}
