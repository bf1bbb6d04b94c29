// `npm run bench -- --cli`: the cold CLI path as a user meets it, `velocity scope --state S --target DEV --json` with an
// empty snapshot cache, against baselines measured in the same run, interleaved: the snapshot reload of the same
// command, and optionally another build of velocity (`--baseline-bin`, e.g. main). Writes bench/results/cli-cold.json.
//
//   npm run bench -- --cli                               # 100K resources (synthesised once into $VELOCITY_BENCH_DIR)
//   VELOCITY_BENCH_1M=1 npm run bench -- --cli           # adds 1M (a 1.48 GB state on disk)
//   npm run bench -- --cli --state S --target ADDR --runs 3 --baseline-bin ../main/bin/velocity.js

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureWorkspace } from './bench-workspace.js';

const repo = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--cli'),
  options: { state: { type: 'string' }, target: { type: 'string' }, runs: { type: 'string' }, 'baseline-bin': { type: 'string' }, sizes: { type: 'string' } },
});
const runs = Number(values.runs ?? 2);
const preload = join(repo, 'bench/child-usage.mjs');

interface Run {
  wallMs: number;
  /** From spawn to the first byte of the answer on stdout. */
  answerMs: number;
  cpuMs: number;
  /** CPU of the main thread alone (null off Linux): the critical path on an idle machine with a spare core. */
  mainThreadMs: number | null;
  maxRssMB: number;
  loadAverage: number;
  stdoutSha: string;
}

/** One CLI call in a child process: wall, time to answer, CPU of all its threads, peak RSS. */
async function runCli(bin: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const scratch = mkdtempSync(join(tmpdir(), 'velocity-bench-usage-'));
  const usageFile = join(scratch, 'usage.json');
  const t0 = performance.now();
  let answerMs = -1;
  const out: Buffer[] = [];
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(process.execPath, ['--import', preload, bin, ...args], { env: { ...process.env, ...env, VELOCITY_BENCH_USAGE_FILE: usageFile }, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (c: Buffer) => {
      if (answerMs < 0) answerMs = performance.now() - t0;
      out.push(c);
    });
    child.on('error', fail);
    child.on('close', done);
  });
  const wallMs = performance.now() - t0;
  if (code !== 0) throw new Error(`${bin} ${args.join(' ')}: exit ${code}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { userMs: number; systemMs: number; mainThreadMs: number | null; maxRssMB: number };
  rmSync(scratch, { recursive: true, force: true });
  return { wallMs, answerMs, cpuMs: usage.userMs + usage.systemMs, mainThreadMs: usage.mainThreadMs, maxRssMB: usage.maxRssMB, loadAverage: loadavg()[0] as number, stdoutSha: createHash('sha256').update(Buffer.concat(out)).digest('hex').slice(0, 16) };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

interface Case {
  label: string;
  bin: string;
  /** Empty the cache before each run (cold) or keep it warm (snapshot reload). */
  cold: boolean;
}

async function measure(statePath: string, target: string): Promise<Record<string, unknown>> {
  const cacheRoot = mkdtempSync(join(tmpdir(), 'velocity-bench-cli-'));
  const bin = join(repo, 'bin/velocity.js');
  const cases: Case[] = [{ label: 'cold (this build)', bin, cold: true }];
  if (values['baseline-bin']) cases.push({ label: 'cold (baseline build)', bin: resolve(values['baseline-bin']), cold: true });
  cases.push({ label: 'snapshot reload (this build)', bin, cold: false });
  if (values['baseline-bin']) cases.push({ label: 'snapshot reload (baseline build)', bin: resolve(values['baseline-bin']), cold: false });
  const args = ['scope', '--state', statePath, '--target', target, '--json'];
  const results = new Map<string, Run[]>(cases.map((c) => [c.label, []]));
  // One warm cache per build (their snapshot formats may differ), filled once; this also warms the page cache.
  const warmCache = (c: Case): string => join(cacheRoot, `warm-${c.bin === bin ? 'this' : 'baseline'}`);
  for (const c of cases) if (!c.cold) await runCli(c.bin, args, { VELOCITY_CACHE_DIR: warmCache(c) });
  // NOTE: cases interleave (A B C A B C ...) so that a change in the machine's load hits every case alike.
  for (let i = 0; i < runs; i++) {
    for (const c of cases) {
      const dir = c.cold ? join(cacheRoot, `cold-${i}-${c.label.length}`) : warmCache(c);
      if (c.cold) rmSync(dir, { recursive: true, force: true });
      const r = await runCli(c.bin, args, { VELOCITY_CACHE_DIR: dir });
      if (c.cold) rmSync(dir, { recursive: true, force: true });
      process.stderr.write(`bench:cli ${c.label} run ${i + 1}: wall ${(r.wallMs / 1000).toFixed(2)} s, answer ${(r.answerMs / 1000).toFixed(2)} s, CPU ${(r.cpuMs / 1000).toFixed(2)} s (main thread ${r.mainThreadMs === null ? 'n/a' : (r.mainThreadMs / 1000).toFixed(2)} s), peak RSS ${r.maxRssMB.toFixed(0)} MB, load ${r.loadAverage.toFixed(1)}\n`);
      results.get(c.label)!.push(r);
    }
  }
  rmSync(cacheRoot, { recursive: true, force: true });
  const answers = new Set([...results.values()].flat().map((r) => r.stdoutSha));
  if (answers.size !== 1) throw new Error(`the cases printed different answers: ${[...answers].join(', ')}`);
  const summary = Object.fromEntries(
    [...results].map(([label, rs]) => [label, { wallMs: median(rs.map((r) => r.wallMs)), answerMs: median(rs.map((r) => r.answerMs)), cpuMs: median(rs.map((r) => r.cpuMs)), mainThreadMs: rs.every((r) => r.mainThreadMs !== null) ? median(rs.map((r) => r.mainThreadMs as number)) : null, maxRssMB: Math.max(...rs.map((r) => r.maxRssMB)), runs: rs }]),
  );
  return { statePath, stateBytes: statSync(statePath).size, target, summary };
}

const todo: { statePath: string; target: string }[] = [];
if (values.state) {
  todo.push({ statePath: resolve(values.state), target: values.target ?? 'module.customer["c00000"].terraform_data.device["d00"]' });
} else {
  const sizes = values.sizes ? values.sizes.split(',').map(Number) : [100_000, ...(process.env['VELOCITY_BENCH_1M'] === '1' ? [1_000_000] : [])];
  for (const n of sizes) {
    process.stderr.write(`bench:cli: ${n} resources: preparing workspace…\n`);
    const ws = await ensureWorkspace(n);
    todo.push({ statePath: ws.statePath, target: 'module.customer["c00000"].terraform_data.device["d00"]' });
  }
}

const out: Record<string, unknown>[] = [];
for (const t of todo) out.push(await measure(t.statePath, t.target));

const lines = ['| state | case | wall (median) | answer printed | CPU user+sys | main-thread CPU | peak RSS | wall ÷ snapshot reload |', '|---|---|---|---|---|---|---|---|'];
for (const r of out) {
  const summary = r['summary'] as Record<string, { wallMs: number; answerMs: number; cpuMs: number; mainThreadMs: number | null; maxRssMB: number }>;
  const reload = summary['snapshot reload (this build)']!;
  for (const [label, s] of Object.entries(summary)) {
    lines.push(`| ${((r['stateBytes'] as number) / 1e6).toFixed(0)} MB | ${label} | ${(s.wallMs / 1000).toFixed(2)} s | ${(s.answerMs / 1000).toFixed(2)} s | ${(s.cpuMs / 1000).toFixed(2)} s | ${s.mainThreadMs === null ? 'n/a' : `${(s.mainThreadMs / 1000).toFixed(2)} s`} | ${s.maxRssMB.toFixed(0)} MB | ${(s.wallMs / reload.wallMs).toFixed(1)}x |`);
  }
}
const table = lines.join('\n');
process.stdout.write(`${table}\n\n(node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end; ${runs} runs per case, interleaved)\n`);
mkdirSync(join(repo, 'bench/results'), { recursive: true });
writeFileSync(join(repo, 'bench/results/cli-cold.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, loadAverage: loadavg(), runs, results: out, table }, null, 2)}\n`);
