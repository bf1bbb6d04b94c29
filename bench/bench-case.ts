// One benchmark case in its own process, so peak RSS (process.resourceUsage().maxRSS) belongs to that case alone.
// Modes: `velocity` (cold load, snapshot write, cones, scope), `snapshot` (snapshot loads only), `baseline`
// (JSON.parse + a naive graphology build). Prints one JSON line on stdout.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import graphology from 'graphology';
import { Bench, type Task } from 'tinybench';
import { changeCone } from '../src/cone/change-cone.js';
import { bottomCone } from '../src/cone/bottom-cone.js';
import { topCone } from '../src/cone/top-cone.js';
import { VelocityEngine } from '../src/engine/velocity-engine.js';
import { loadStateGraph } from '../src/graph/load-state-graph.js';
import type { StateGraph } from '../src/graph/state-graph.js';
import { formatKey, formatModulePath, parseModulePath, parseResourceAddress } from '../src/state/address.js';

const { values } = parseArgs({
  options: { mode: { type: 'string' }, state: { type: 'string' }, cache: { type: 'string' }, customers: { type: 'string' }, runs: { type: 'string' } },
});
const mode = values.mode as 'velocity' | 'snapshot' | 'baseline';
const statePath = values.state as string;
const cacheDir = values.cache as string;
const customers = Number(values.customers);
const runs = Number(values.runs ?? '3');
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function stats(task: Task | undefined): { p50: number; p99: number; mean: number; samples: number } {
  const r = task?.result;
  if (!r || !('latency' in r)) throw new Error(`task ${task?.name} did not complete: ${r && 'error' in r ? String(r.error) : r?.state}`);
  return { p50: r.latency.p50, p99: r.latency.p99, mean: r.latency.mean, samples: r.latency.samplesCount };
}

/**
 * Runs `fn` `runs` times with a GC before each (tinybench, no warmup: these are cold, heavy operations).
 * NOTE: `async: true` is required. Without it tinybench calls a task that is not an `async function` once, unawaited,
 * to find out whether it returns a promise: a second cold load then ran concurrently with the timed one, which is
 * why the 1M cold load measured ~2x (and peak RSS ~1.6x) inside this harness (bench/README.md, "The 2x gap").
 */
async function timeHeavy(name: string, fn: () => Promise<unknown>): Promise<{ p50: number; p99: number; mean: number; samples: number }> {
  const bench = new Bench({ iterations: runs, time: 0, warmup: false });
  let calls = 0;
  bench.add(
    name,
    async () => {
      calls++;
      await fn();
    },
    { beforeEach: () => gc(), async: true },
  );
  await bench.run();
  const samples = stats(bench.getTask(name));
  if (calls !== samples.samples) throw new Error(`${name}: ${calls} calls for ${samples.samples} samples (an untimed call ran)`);
  return samples;
}

const key = (c: number) => `c${String(c).padStart(Math.max(5, String(customers - 1).length), '0')}`;
/** 64 devices and sites spread over the customers, rotated per iteration so no query repeats back to back. */
const spread = Array.from({ length: 64 }, (_, i) => Math.floor((i * customers) / 64));
const devices = spread.map((c, i) => `module.customer["${key(c)}"].terraform_data.device["d${String((i * 7) % 95).padStart(2, '0')}"]`);
const sites = spread.map((c) => `module.customer["${key(c)}"].terraform_data.site`);

async function velocity() {
  const cold = await timeHeavy('cold load', () => loadStateGraph(statePath, { cache: false }));
  gc();
  const t0 = performance.now();
  const first = await loadStateGraph(statePath, { cacheDir });
  const firstWithSnapshotMs = performance.now() - t0;
  if (first.from !== 'state' || first.snapshotProblem) throw new Error(`expected a cold load that writes a snapshot: ${first.snapshotProblem}`);
  const graph: StateGraph = first.graph;
  const engine = new VelocityEngine(graph);
  let i = 0;
  const next = <T>(list: readonly T[]) => list[i++ % list.length] as T;
  const sizes = {
    deviceTop: topCone(graph, [devices[0] as string]).length,
    deviceBottom: bottomCone(graph, [devices[0] as string]).length,
    siteTop: topCone(graph, [sites[0] as string]).length,
    siteBottom: bottomCone(graph, [sites[0] as string]).length,
    deviceChangeRefresh: changeCone(graph, { changed: [devices[0] as string] }).refresh.length,
    siteChangeRefresh: changeCone(graph, { changed: [sites[0] as string] }).refresh.length,
  };
  const bench = new Bench({ time: 400, warmupTime: 50 });
  bench
    .add('device top', () => void topCone(graph, [next(devices)]))
    .add('device bottom', () => void bottomCone(graph, [next(devices)]))
    .add('device change', () => void changeCone(graph, { changed: [next(devices)] }))
    .add('site top', () => void topCone(graph, [next(sites)]))
    .add('site bottom', () => void bottomCone(graph, [next(sites)]))
    .add('site change', () => void changeCone(graph, { changed: [next(sites)] }))
    .add('scope device', () => void engine.computeRefreshScope({ changed: [next(devices)] }))
    .add('scope site', () => void engine.computeRefreshScope({ changed: [next(sites)] }));
  await bench.run();
  const full = new Bench({ iterations: Math.max(1, Math.min(5, runs)), time: 0, warmup: false });
  // NOTE: `async: false` spares the untimed detection call (1 s at 1M).
  full.add('scope full', () => void engine.computeRefreshScope({ strategy: 'full' }), { async: false });
  await full.run();
  const s = (n: string) => stats(bench.getTask(n));
  return {
    coldLoad: cold,
    firstLoadWithSnapshotWriteMs: firstWithSnapshotMs,
    edges: graph.index.edgeCount,
    size: graph.size,
    coneSizes: sizes,
    cones: {
      deviceTop: s('device top'),
      deviceBottom: s('device bottom'),
      deviceChange: s('device change'),
      siteTop: s('site top'),
      siteBottom: s('site bottom'),
      siteChange: s('site change'),
    },
    scopeDevice: s('scope device'),
    scopeSite: s('scope site'),
    scopeFull: stats(full.getTask('scope full')),
  };
}

async function snapshot() {
  let from = '';
  const load = await timeHeavy('snapshot load', async () => {
    const r = await loadStateGraph(statePath, { cacheDir });
    from = r.from;
  });
  if (from !== 'snapshot') throw new Error(`expected snapshot hits, got ${from}`);
  return { snapshotLoad: load };
}

/** The straightforward way: JSON.parse the file, one graphology node per instance, one addEdge per dependency. */
function naiveGraph(path: string) {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { resources: { module?: string; mode: string; type: string; name: string; instances: { index_key?: string | number; dependencies?: string[] }[] }[] };
  const g = new graphology.DirectedGraph();
  const byConfig = new Map<string, { steps: ReturnType<typeof parseModulePath>; address: string }[]>();
  const pending: { address: string; module: string; deps: string[] }[] = [];
  for (const r of doc.resources) {
    const steps = parseModulePath(r.module ?? '');
    const mod = formatModulePath(steps);
    const local = `${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}`;
    const cfg = `${steps.map((s) => s.name).join('.')}|${local}`;
    let list = byConfig.get(cfg);
    if (!list) byConfig.set(cfg, (list = []));
    for (const inst of r.instances) {
      const address = `${mod ? `${mod}.` : ''}${local}${inst.index_key === undefined ? '' : formatKey(inst.index_key)}`;
      g.mergeNode(address);
      list.push({ steps, address });
      pending.push({ address, module: r.module ?? '', deps: inst.dependencies ?? [] });
    }
  }
  const memo = new Map<string, string[]>();
  let edges = 0;
  for (const p of pending) {
    for (const dep of p.deps) {
      const mk = `${p.module}|${dep}`;
      let targets = memo.get(mk);
      if (!targets) {
        const a = parseResourceAddress(dep);
        const own = parseModulePath(p.module);
        let k = 0;
        while (k < own.length && k < a.module.length && own[k]?.name === a.module[k]?.name) k++;
        const cfg = `${a.module.map((s) => s.name).join('.')}|${a.mode === 'data' ? 'data.' : ''}${a.type}.${a.name}`;
        targets = (byConfig.get(cfg) ?? []).filter((c) => c.steps.slice(0, k).every((s, j) => s.key === own[j]?.key)).map((c) => c.address);
        memo.set(mk, targets);
      }
      for (const t of targets) {
        g.mergeEdge(t, p.address);
        edges++;
      }
    }
  }
  return { nodes: g.order, edges };
}

async function baseline() {
  let shape = { nodes: 0, edges: 0 };
  const load = await timeHeavy('baseline load', async () => {
    shape = naiveGraph(statePath);
  });
  return { baselineLoad: load, ...shape };
}

/**
 * How fast this machine is right now: JSON.parse throughput of a fixed ~20 MB document, in this process. Shared
 * machines vary by 10x or more; every load figure should be read next to this one.
 */
function calibrate(): { jsonParseMBps: number } {
  const text = JSON.stringify(Array.from({ length: 100_000 }, (_, i) => ({ id: `${i}`.padStart(36, '0'), input: { value: { site: 'x'.repeat(36), n: i }, type: ['object', { site: 'string', n: 'number' }] } })));
  gc();
  const t0 = performance.now();
  JSON.parse(text);
  const ms = performance.now() - t0;
  return { jsonParseMBps: text.length / 1e6 / (ms / 1000) };
}

const calibration = calibrate();
const result = mode === 'velocity' ? await velocity() : mode === 'snapshot' ? await snapshot() : await baseline();
process.stdout.write(`${JSON.stringify({ mode, calibration, ...result, peakRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
