// Terraform's own plan cost against the simulated cloud provider (child process, read latency per call):
// full plan vs `-refresh=false` (the baseline: Terraform without any read) vs `-target` of one device, per size.
// Prints a table, writes bench/results/sim-plan-baseline.json. Every run is checked (exit code, read count) so a
// broken setup fails loudly instead of measuring nothing.
//   node --import tsx bench/sim-plan-baseline.ts [--customers 12,80] [--latency 20] [--iterations 3]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { startSimWorkspace, type SimSession } from '../test/support/sim/index.js';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '12,80' },
    tunnels: { type: 'string', default: '4' },
    devices: { type: 'string', default: '20' },
    latency: { type: 'string', default: '20' },
    iterations: { type: 'string', default: '3' },
  },
});
const sizes = values.customers.split(',').map((x) => Number.parseInt(x, 10));
const tunnelsPerCustomer = Number.parseInt(values.tunnels, 10);
const devicesPerCustomer = Number.parseInt(values.devices, 10);
const latencyMs = Number.parseInt(values.latency, 10);
const iterations = Number.parseInt(values.iterations, 10);

interface Row {
  resources: number;
  latencyMs: number;
  command: string;
  wallP50Ms: number;
  wallMinMs: number;
  wallMaxMs: number;
  ratioVsRefreshFalse: number;
  readsPerRun: number;
  terraformCpuP50Ms: number;
  simCpuPerRunMs: number;
  terraformPeakRssMb: number;
  simPeakRssMb: number;
}

// utime + stime of a process in ms (/proc/<pid>/stat fields 14 and 15, in clock ticks of 10 ms).
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function simPeakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? Number.NaN : Number(m[1]) / 1024;
}

async function measureSize(customers: number): Promise<Row[]> {
  const session: SimSession = await startSimWorkspace({
    workspace: { customers, tunnelsPerCustomer, devicesPerCustomer, withState: true },
    sim: { readLatencyMs: latencyMs },
  });
  try {
    const ws = session.workspace;
    const device = ws.device(ws.customers[0] ?? 'c1', ws.devices[ws.devices.length - 1] ?? 'd1');
    const commands: Record<string, { args: string[]; expectedReads: number }> = {
      'plan -refresh=false': { args: ['plan', '-refresh=false', '-detailed-exitcode', '-no-color'], expectedReads: 0 },
      plan: { args: ['plan', '-detailed-exitcode', '-no-color'], expectedReads: ws.resourceCount },
      // Terraform resolves a module resource's dependencies per config block: every site and tunnel, the controller.
      'plan -target=<one device>': {
        args: ['plan', '-detailed-exitcode', '-no-color', `-target=${device.address}`],
        expectedReads: 2 + customers * (1 + tunnelsPerCustomer),
      },
    };
    const stats = new Map<string, { reads: number[]; rss: number[]; cpu: number[]; simCpu: number[] }>();
    const bench = new Bench({ name: `sim ${ws.resourceCount}`, iterations, time: 0, warmupIterations: 1, warmupTime: 0, throws: true });
    for (const [name, cmd] of Object.entries(commands)) {
      const s = { reads: [] as number[], rss: [] as number[], cpu: [] as number[], simCpu: [] as number[] };
      let simCpuBefore = 0;
      stats.set(name, s);
      bench.add(
        name,
        async () => {
          const run = await session.terraform(cmd.args, { measure: true, timeoutMs: 600_000 });
          if (run.code !== 0) throw new Error(`${name}: exit ${run.code}\n${run.stderr}`);
          s.rss.push((run.maxRssKb ?? Number.NaN) / 1024);
          s.cpu.push(run.cpuMs ?? Number.NaN);
        },
        {
          beforeEach: async () => {
            await session.sim.resetCounters();
            simCpuBefore = processCpuMs(session.sim.pid);
          },
          afterEach: async () => {
            const reads = (await session.sim.counters()).rpc.ReadResource ?? 0;
            if (reads !== cmd.expectedReads) throw new Error(`${name}: ${reads} reads, expected ${cmd.expectedReads}`);
            s.reads.push(reads);
            s.simCpu.push(processCpuMs(session.sim.pid) - simCpuBefore);
          },
        },
      );
    }
    await bench.run();
    const p50 = (name: string): number => {
      const r = bench.getTask(name)?.result;
      if (r?.state !== 'completed') throw new Error(`${name}: ${r?.state}`);
      return r.latency.p50;
    };
    const baseline = p50('plan -refresh=false');
    return Object.keys(commands).map((name) => {
      const r = bench.getTask(name)?.result;
      if (r?.state !== 'completed') throw new Error(`${name}: ${r?.state}`);
      const s = stats.get(name) ?? { reads: [], rss: [], cpu: [], simCpu: [] };
      return {
        resources: ws.resourceCount,
        latencyMs,
        command: name,
        wallP50Ms: Math.round(r.latency.p50),
        wallMinMs: Math.round(r.latency.min),
        wallMaxMs: Math.round(r.latency.max),
        ratioVsRefreshFalse: Number((r.latency.p50 / baseline).toFixed(2)),
        readsPerRun: s.reads[0] ?? 0,
        terraformCpuP50Ms: median(s.cpu),
        simCpuPerRunMs: median(s.simCpu),
        terraformPeakRssMb: Math.round(Math.max(...s.rss)),
        simPeakRssMb: Math.round(simPeakRssMb(session.sim.pid)),
      };
    });
  } finally {
    await session.stop();
  }
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : (sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN);
}

const loadBefore = loadavg()[0];
const rows: Row[] = [];
for (const customers of sizes) rows.push(...(await measureSize(customers)));
const loadAfter = loadavg()[0];
console.table(rows);
console.log(`1-min load average: ${loadBefore?.toFixed(1)} before, ${loadAfter?.toFixed(1)} after (2 cores shared)`);
const outDir = join(import.meta.dirname, 'results');
mkdirSync(outDir, { recursive: true });
const out = join(outDir, 'sim-plan-baseline.json');
writeFileSync(
  out,
  `${JSON.stringify({ date: new Date().toISOString(), iterations, tunnelsPerCustomer, devicesPerCustomer, loadBefore, loadAfter, rows }, null, 2)}\n`,
);
console.log(`wrote ${out}`);
