// `npm run bench [-- --sizes 10000,100000,1000000] [--runs K]` (or `npm run bench -- --cli ...`: bench/cli-cold.ts): velocity on synthetic `customers` states of each
// size, every case in its own child process (peak RSS per case), against a JSON.parse + graphology baseline
// measured in the same run where it fits in memory. Prints a table; writes JSON to bench/results/.

import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchRoot, ensureWorkspace } from './bench-workspace.js';

if (process.argv.includes('--cli')) {
  // The cold CLI path against the snapshot reload (and optionally another build): bench/cli-cold.ts.
  await import('./cli-cold.js');
  process.exit(process.exitCode ?? 0);
}

const repo = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { sizes: { type: 'string' }, runs: { type: 'string' } } });
const sizes = (values.sizes ?? '10000,100000,1000000').split(',').map((s) => Number(s.trim()));
if (sizes.some((n) => !Number.isSafeInteger(n) || n < 101)) throw new Error(`--sizes takes integers ≥ 101, got ${values.sizes}`);
/** Baseline only where one JSON string of the file fits comfortably (V8's limit is ~512 MB). */
const BASELINE_MAX_BYTES = 400e6;

type Stat = { p50: number; p99: number; mean: number; samples: number };
interface Child {
  peakRssMB: number;
  [k: string]: unknown;
}

function child(mode: string, args: Record<string, string | number>): Child | { error: string } {
  const argv = ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', join(repo, 'bench/bench-case.ts'), '--mode', mode];
  for (const [k, v] of Object.entries(args)) argv.push(`--${k}`, String(v));
  try {
    const out = execFileSync(process.execPath, argv, { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 30 * 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out.trim().split('\n').pop() as string) as Child;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    return { error: (e.stderr ?? e.message).trim().split('\n').slice(-3).join(' ') };
  }
}

const results: Record<string, unknown>[] = [];
for (const n of sizes) {
  process.stderr.write(`bench: ${n} resources: preparing workspace…\n`);
  const ws = await ensureWorkspace(n);
  const customers = Math.round((ws.instances - 1) / 100);
  const cacheDir = join(benchRoot(), `cache-${n}`);
  rmSync(cacheDir, { recursive: true, force: true });
  const runs = Number(values.runs ?? (n >= 1_000_000 ? 1 : n >= 100_000 ? 3 : 5));
  const common = { state: ws.statePath, cache: cacheDir, customers, runs };
  process.stderr.write(`bench: ${n}: velocity (cold load ×${runs}, cones, scope)…\n`);
  const velocity = child('velocity', common);
  process.stderr.write(`bench: ${n}: snapshot loads…\n`);
  const snapshot = 'error' in velocity ? { error: 'no snapshot (velocity case failed)' } : child('snapshot', common);
  const baseline = ws.fileBytes <= BASELINE_MAX_BYTES ? (process.stderr.write(`bench: ${n}: baseline…\n`), child('baseline', common)) : null;
  results.push({ n, instances: ws.instances, fileBytes: ws.fileBytes, synthesisedNow: ws.created, synthMs: ws.synthMs, runs, velocity, snapshot, baseline });
  rmSync(cacheDir, { recursive: true, force: true });
}

// ---- presentation ----
const get = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((a, k) => (a && typeof a === 'object' ? (a as Record<string, unknown>)[k] : undefined), o);
const num = (o: unknown, path: string): number | undefined => {
  const v = get(o, path);
  return typeof v === 'number' ? v : undefined;
};
const ms = (v: number | undefined, digits = 1) => (v === undefined ? 'n/a' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(digits)} ms`);
const us = (s: Stat | undefined) => (s === undefined ? 'n/a' : `${(s.p50 * 1000).toFixed(1)} / ${(s.p99 * 1000).toFixed(1)} µs`);
const stat = (o: unknown, path: string) => get(o, path) as Stat | undefined;
const mb = (v: number | undefined) => (v === undefined ? 'n/a' : `${v.toFixed(0)} MB`);

const rows: [string, (r: Record<string, unknown>) => string][] = [
  ['machine: JSON.parse MB/s (calibration)', (r) => { const v = num(r, 'velocity.calibration.jsonParseMBps'); return v === undefined ? 'n/a' : v.toFixed(0); }],
  ['state file', (r) => `${((r['fileBytes'] as number) / 1e6).toFixed(1)} MB`],
  ['cold load (median)', (r) => ms(num(r, 'velocity.coldLoad.p50'))],
  ['cold load MB/s', (r) => { const t = num(r, 'velocity.coldLoad.p50'); return t ? `${(((r['fileBytes'] as number) / 1e6) / (t / 1000)).toFixed(0)}` : 'n/a'; }],
  ['cold load MB/s ÷ calibration', (r) => { const t = num(r, 'velocity.coldLoad.p50'); const c = num(r, 'velocity.calibration.jsonParseMBps'); return t && c ? `${((((r['fileBytes'] as number) / 1e6) / (t / 1000)) / c).toFixed(2)}` : 'n/a'; }],
  ['resources/s', (r) => { const t = num(r, 'velocity.coldLoad.p50'); return t ? `${Math.round((r['instances'] as number) / (t / 1000)).toLocaleString('en-US')}` : 'n/a'; }],
  ['peak RSS, cold load + queries', (r) => mb(num(r, 'velocity.peakRssMB'))],
  ['first load + snapshot write', (r) => ms(num(r, 'velocity.firstLoadWithSnapshotWriteMs'))],
  ['snapshot load (median)', (r) => ms(num(r, 'snapshot.snapshotLoad.p50'))],
  ['peak RSS, snapshot load', (r) => mb(num(r, 'snapshot.peakRssMB'))],
  ['baseline: JSON.parse + graphology', (r) => (r['baseline'] === null ? 'does not fit' : ms(num(r, 'baseline.baselineLoad.p50')))],
  ['baseline peak RSS', (r) => (r['baseline'] === null ? '-' : mb(num(r, 'baseline.peakRssMB')))],
  ['cold load speed-up vs baseline', (r) => { const a = num(r, 'baseline.baselineLoad.p50'); const b = num(r, 'velocity.coldLoad.p50'); return a && b ? `${(a / b).toFixed(1)}x` : '-'; }],
  ['device top cone p50 / p99', (r) => us(stat(r, 'velocity.cones.deviceTop'))],
  ['device bottom cone p50 / p99', (r) => us(stat(r, 'velocity.cones.deviceBottom'))],
  ['device change cone p50 / p99', (r) => us(stat(r, 'velocity.cones.deviceChange'))],
  ['site top cone p50 / p99', (r) => us(stat(r, 'velocity.cones.siteTop'))],
  ['site bottom cone p50 / p99', (r) => us(stat(r, 'velocity.cones.siteBottom'))],
  ['site change cone p50 / p99', (r) => us(stat(r, 'velocity.cones.siteChange'))],
  ['computeRefreshScope(device) p50 / p99', (r) => us(stat(r, 'velocity.scopeDevice'))],
  ['computeRefreshScope(site) p50 / p99', (r) => us(stat(r, 'velocity.scopeSite'))],
  ['computeRefreshScope(full strategy)', (r) => ms(num(r, 'velocity.scopeFull.p50'))],
  ['cone sizes dev top/bottom, site bottom', (r) => { const c = get(r, 'velocity.coneSizes') as Record<string, number> | undefined; return c ? `${c['deviceTop']} / ${c['deviceBottom']}, ${c['siteBottom']}` : 'n/a'; }],
];
const header = `| | ${results.map((r) => `${(r['instances'] as number).toLocaleString('en-US')} resources`).join(' | ')} |`;
const lines = [header, `|---|${results.map(() => '---|').join('')}`, ...rows.map(([label, f]) => `| ${label} | ${results.map(f).join(' | ')} |`)];

const big = results.find((r) => (r['instances'] as number) >= 1_000_000);
const small = results.filter((r) => (r['instances'] as number) <= 100_001);
const check = (ok: boolean | undefined) => (ok === undefined ? 'not measured' : ok ? 'met' : 'MISSED');
const devP99 = results.map((r) => num(r, 'velocity.cones.deviceChange.p99'));
const scopeSmall = num(results[0], 'velocity.scopeDevice.p50');
const scopeBig = num(results[results.length - 1], 'velocity.scopeDevice.p50');
const goals: [string, string][] = [
  ['1M cold load <= 10 s', check(big ? (num(big, 'velocity.coldLoad.p50') ?? Infinity) <= 10_000 : undefined)],
  ['1M peak RSS <= 3 GB', check(big ? (num(big, 'velocity.peakRssMB') ?? Infinity) <= 3072 : undefined)],
  ['snapshot load <= 1.5 s (largest size)', check(num(results[results.length - 1], 'snapshot.snapshotLoad.p50') !== undefined ? (num(results[results.length - 1], 'snapshot.snapshotLoad.p50') as number) <= 1500 : undefined)],
  ['device change cone p99 <= 5 ms (every size)', check(devP99.every((v) => v !== undefined) ? devP99.every((v) => (v as number) <= 5) : undefined)],
  [`scope(device) p50 independent of N (${results[0]?.['instances']} vs ${results[results.length - 1]?.['instances']})`, scopeSmall && scopeBig ? `${(scopeSmall * 1000).toFixed(1)} µs vs ${(scopeBig * 1000).toFixed(1)} µs (${(scopeBig / scopeSmall).toFixed(2)}x)` : 'n/a'],
  ['cold load >= 200 MB/s at 10K/100K', check(small.length ? small.every((r) => { const t = num(r, 'velocity.coldLoad.p50'); return t !== undefined && (r['fileBytes'] as number) / 1e6 / (t / 1000) >= 200; }) : undefined)],
  ['cold load >= 5x baseline at 10K/100K', check(small.length ? small.every((r) => { const a = num(r, 'baseline.baselineLoad.p50'); const b = num(r, 'velocity.coldLoad.p50'); return a !== undefined && b !== undefined && a / b >= 5; }) : undefined)],
];
const errors = results.flatMap((r) => ['velocity', 'snapshot', 'baseline'].map((m) => [r['n'], m, get(r, `${m}.error`)] as const).filter(([, , e]) => e !== undefined));
const table = [
  lines.join('\n'),
  '',
  '| goal | result |',
  '|---|---|',
  ...goals.map(([g, v]) => `| ${g} | ${v} |`),
  ...(errors.length ? ['', ...errors.map(([n, m, e]) => `error at ${n} (${m}): ${String(e)}`)] : []),
].join('\n');
process.stdout.write(`${table}\n\n(node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end of the run)\n`);

const outDir = join(repo, 'bench/results');
mkdirSync(outDir, { recursive: true });
const doc = { date: new Date().toISOString(), node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length, loadAverage: loadavg(), sizes, results, goals: Object.fromEntries(goals), table };
const stamp = doc.date.replace(/[:.]/g, '-');
writeFileSync(join(outDir, `bench-${stamp}.json`), `${JSON.stringify(doc, null, 2)}\n`);
writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(doc, null, 2)}\n`);
process.stderr.write(`bench: results written to bench/results/bench-${stamp}.json\n`);
