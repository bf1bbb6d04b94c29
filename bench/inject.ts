// `npm run bench:inject` (issue 11, "Prove it"): `velocity plan --mode inject` end to end against a full
// `terraform plan` and `velocity plan --mode target` on `velocity synth --shape customers` workspaces, one device edited.
// Every run is checked (exit 0, exactly "1 to change"); a fallback or a failed run is reported, never hidden.
//
//   npm run bench:inject                                   # 20,000, 100,000 and 1,000,000 resources
//   BENCH_SIZES=20000,100000 BENCH_RUNS=3 npm run bench:inject
//   env: BENCH_SIZES, BENCH_RUNS (default 3; 1 at >= 1M), BENCH_DIR (default /var/tmp/velocity-bench-inject),
//        BENCH_BINARY_MAX (largest size for full plan and target mode, default 100,001), BENCH_KEEP=1 (keep workspaces),
//        BENCH_TERRAFORM (default: terraform on PATH)

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { customerKey, findTerraform, fmtMB, fmtS, fmtX, median, runMeasured, setupStep } from './bench-process.js';
import { checkPlan, ONE_CHANGE } from './terraform-summary.js';
import type { TreeRss } from './tree-rss.js';

const repo = resolve(import.meta.dirname, '..');
const velocityBin = join(repo, 'bin', 'velocity.js');
const SIZES = (process.env['BENCH_SIZES'] ?? '20000,100000,1000000').split(',').map((s) => Number(s.trim()));
const RUNS_ENV = process.env['BENCH_RUNS'];
const BENCH_DIR = resolve(process.env['BENCH_DIR'] ?? '/var/tmp/velocity-bench-inject');
const BINARY_MAX = Number(process.env['BENCH_BINARY_MAX'] ?? 100_001);
const KEEP = process.env['BENCH_KEEP'] === '1';
/** Bytes of state per resource of the customers shape (1.48 GB at 1M), for the free-disk check. */
const STATE_BYTES_PER_RESOURCE = 1_500;

type CaseName = 'terraform plan (full)' | 'velocity plan --mode target' | 'velocity plan --mode inject';
const FULL: CaseName = 'terraform plan (full)';
const TARGET: CaseName = 'velocity plan --mode target';
const INJECT: CaseName = 'velocity plan --mode inject';

interface Durations {
  load: number;
  detect: number;
  scope: number;
  synthesize: number;
  binary: number;
}

interface Run {
  wallMs: number;
  rss: TreeRss;
  /** What really ran (the report's `mode`), null for the plain terraform plan or without --report. */
  execution: string | null;
  fallbackReason: string | null;
  durationsMs: Durations | null;
  refreshed: number | null;
  savingsLine: string | null;
  loadAverage: number;
}

interface CaseResult {
  name: CaseName;
  /** Why it did not run at this size (e.g. the binary cannot load a 1M state), or null. */
  skipped: string | null;
  runs: Run[];
  failures: string[];
  median: { wallMs: number; peakRssKiB: number; hwmSumKiB: number; durationsMs: Durations | null } | null;
}

interface SizeResult {
  requested: number;
  instances: number | null;
  stateBytes: number | null;
  changed: string | null;
  runs: number;
  synthMs: number | null;
  skipped: string | null;
  cases: CaseResult[];
}

async function benchSize(requested: number, tf: string): Promise<SizeResult> {
  const runs = Number(RUNS_ENV ?? (requested >= 1_000_000 ? 1 : 3));
  const result: SizeResult = { requested, instances: null, stateBytes: null, changed: null, runs, synthMs: null, skipped: null, cases: [] };
  mkdirSync(BENCH_DIR, { recursive: true });
  // Free disk: the state, its snapshot, and slack.
  const fs = statfsSync(BENCH_DIR);
  const free = fs.bavail * fs.bsize;
  const need = requested * STATE_BYTES_PER_RESOURCE * 1.5 + 1e9;
  if (free < need) {
    result.skipped = `not run: ${(free / 1e9).toFixed(1)} GB free under ${BENCH_DIR}, needs about ${(need / 1e9).toFixed(1)} GB`;
    return result;
  }
  const dir = join(BENCH_DIR, `customers-${requested}-seed7`);
  const cacheDir = join(BENCH_DIR, `cache-${requested}`);
  const tfrc = join(BENCH_DIR, 'terraformrc');
  writeFileSync(tfrc, 'disable_checkpoint = true\n');
  const env: NodeJS.ProcessEnv = { ...process.env, TF_CLI_CONFIG_FILE: tfrc, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', VELOCITY_CACHE_DIR: cacheDir };
  rmSync(dir, { recursive: true, force: true });
  rmSync(cacheDir, { recursive: true, force: true });
  try {
    process.stderr.write(`bench:inject ${requested}: velocity synth into ${dir}\n`);
    const t0 = performance.now();
    const summary = JSON.parse(setupStep([process.execPath, velocityBin, 'synth', '--resources', String(requested), '--shape', 'customers', '--seed', '7', '--out', dir, '--json'], repo, env)) as { instances: number; facts: { customers: number } };
    result.synthMs = performance.now() - t0;
    const statePath = join(dir, 'terraform.tfstate');
    result.stateBytes = statSync(statePath).size;
    const customers = summary.facts.customers;
    result.instances = summary.instances;
    // terraform init with the state moved aside. NOTE: init needs no state (terraform_data is built in, no backend
    // block), and at 1M loading 1.5 GB would be the very cost the benchmark says the binary cannot pay.
    renameSync(statePath, `${statePath}.aside`);
    try {
      setupStep([tf, 'init', '-input=false', '-no-color'], dir, env);
    } finally {
      renameSync(`${statePath}.aside`, statePath);
    }
    // The edit: one device's input gets a firmware attribute through the root variable device_settings.
    const customer = customerKey(Math.floor(customers / 2), customers);
    const changed = `module.customer["${customer}"].terraform_data.device["d07"]`;
    result.changed = changed;
    const mainTf = join(dir, 'main.tf');
    const text = readFileSync(mainTf, 'utf8');
    const edited = text.replace('  default = {}\n', `  default = { "${customer}/d07" = { firmware = "2.0" } }\n`);
    if (edited === text) throw new Error('main.tf has no `default = {}` for device_settings: the synth customers shape changed');
    writeFileSync(mainTf, edited);

    const reportFile = join(BENCH_DIR, `report-${requested}.json`);
    const velocity = (mode: 'target' | 'inject'): string[] => [process.execPath, velocityBin, 'plan', '--binary', tf, '--mode', mode, '--report', reportFile, '--changed', changed, '-input=false', '-no-color'];
    const binaryFits = (result.instances ?? requested) <= BINARY_MAX;
    const noBinary = `not run: the binary loads the whole state (${((result.stateBytes ?? 0) / 1e9).toFixed(2)} GB), which it cannot at this size (issue 11); BENCH_BINARY_MAX=${BINARY_MAX}`;
    const commands: [CaseName, string[] | null, string | null][] = [
      [FULL, binaryFits ? [tf, 'plan', '-input=false', '-no-color'] : null, binaryFits ? null : noBinary],
      [TARGET, binaryFits ? velocity('target') : null, binaryFits ? null : noBinary],
      [INJECT, velocity('inject'), null],
    ];
    result.cases = commands.map(([name, , skipped]) => ({ name, skipped, runs: [], failures: [], median: null }));

    // Warm the snapshot cache (and the page cache): one velocity run before measuring.
    const warmArgv = velocity('inject');
    process.stderr.write(`bench:inject ${requested}: warm-up run (fills the snapshot cache ${cacheDir})\n`);
    const warm = await runMeasured(warmArgv, dir, env);
    if (warm.code !== 0) throw new Error(`warm-up ${warmArgv.join(' ')} exited ${warm.code}:\n${warm.stdout}${warm.stderr}`);
    process.stderr.write(`bench:inject ${requested}: warm-up ${fmtS(warm.wallMs)}, tree peak ${fmtMB(warm.rss.peakKiB)}\n`);

    // NOTE: cases interleave (A B C A B C ...) so that a change in the machine's load hits every case alike.
    for (let i = 0; i < runs; i++) {
      for (const [index, [name, argv]] of commands.entries()) {
        if (!argv) continue;
        const c = result.cases[index] as CaseResult;
        rmSync(reportFile, { force: true });
        const r = await runMeasured(argv, dir, env);
        const problem = r.code !== 0 ? `exit ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}` : checkPlan(r.stdout, ONE_CHANGE);
        if (problem) {
          c.failures.push(`run ${i + 1}: ${problem}`);
          process.stderr.write(`bench:inject ${requested}: ${name} run ${i + 1} FAILED: ${problem}\n`);
          continue;
        }
        let report: Record<string, unknown> | null = null;
        if (name !== FULL) {
          if (!existsSync(reportFile)) {
            c.failures.push(`run ${i + 1}: no --report file written`);
            continue;
          }
          report = JSON.parse(readFileSync(reportFile, 'utf8')) as Record<string, unknown>;
        }
        const run: Run = {
          wallMs: r.wallMs,
          rss: r.rss,
          execution: report ? String(report['mode']) : null,
          fallbackReason: report && typeof report['fallbackReason'] === 'string' ? report['fallbackReason'] : null,
          durationsMs: report ? (report['durationsMs'] as Durations) : null,
          refreshed: report && typeof report['refreshed'] === 'number' ? report['refreshed'] : null,
          savingsLine: r.stdout.match(/Refreshing state\.\.\. \[Velocity:[^\n]*/g)?.at(-1) ?? null,
          loadAverage: loadavg()[0] as number,
        };
        c.runs.push(run);
        process.stderr.write(
          `bench:inject ${requested}: ${name} run ${i + 1}: ${fmtS(run.wallMs)}, tree peak ${fmtMB(run.rss.peakKiB)} (${run.rss.maxProcesses} processes)` +
            `${run.execution ? `, ran ${run.execution}` : ''}${run.fallbackReason ? ` (fallback: ${run.fallbackReason})` : ''}, load ${run.loadAverage.toFixed(1)}\n`,
        );
      }
    }
    for (const c of result.cases) {
      if (c.runs.length === 0) continue;
      const d = c.runs.every((r) => r.durationsMs)
        ? (Object.fromEntries((['load', 'detect', 'scope', 'synthesize', 'binary'] as const).map((k) => [k, median(c.runs.map((r) => (r.durationsMs as Durations)[k]))])) as unknown as Durations)
        : null;
      c.median = { wallMs: median(c.runs.map((r) => r.wallMs)), peakRssKiB: median(c.runs.map((r) => r.rss.peakKiB)), hwmSumKiB: median(c.runs.map((r) => r.rss.hwmSumKiB)), durationsMs: d };
    }
    return result;
  } finally {
    if (!KEEP) {
      rmSync(dir, { recursive: true, force: true });
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }
}

/** Inject figures count for a goal only when every measured run really injected. */
function injectVerdict(size: SizeResult | undefined): { ok: boolean; why: string; c?: CaseResult } {
  if (!size) return { ok: false, why: 'not measured (size not in BENCH_SIZES)' };
  if (size.skipped) return { ok: false, why: size.skipped };
  const c = size.cases.find((x) => x.name === INJECT);
  if (!c || c.skipped) return { ok: false, why: c?.skipped ?? 'not run' };
  if (c.failures.length > 0) return { ok: false, why: `failed: ${c.failures.join('; ')}` };
  if (!c.median) return { ok: false, why: 'no run' };
  const fell = c.runs.filter((r) => r.execution !== 'inject');
  if (fell.length > 0) return { ok: false, why: `fell back to ${fell[0]?.execution ?? '?'} (${fell[0]?.fallbackReason ?? 'no reason given'}): not an inject figure` };
  return { ok: true, why: '', c };
}

function goals(results: SizeResult[]): [string, string][] {
  const near = (n: number): SizeResult | undefined => results.find((r) => Math.abs(r.requested - n) / n < 0.05);
  const rows: [string, string][] = [];
  for (const n of [20_000, 100_000]) {
    const v = injectVerdict(near(n));
    const wall = v.c?.median?.wallMs;
    rows.push([`inject <= 1 s at ${n.toLocaleString('en-US')}`, v.ok && wall !== undefined ? `${fmtS(wall)}: ${wall <= 1000 ? 'met' : 'not met'}` : `not met: ${v.why}`]);
  }
  const big = injectVerdict(near(1_000_000));
  const bw = big.c?.median?.wallMs;
  const br = big.c?.median?.peakRssKiB;
  rows.push(['inject <= 3 s at 1,000,000', big.ok && bw !== undefined ? `${fmtS(bw)}: ${bw <= 3000 ? 'met' : 'not met'}` : `not met: ${big.why}`]);
  rows.push(['inject <= 1.5 GB peak RSS (process tree) at 1,000,000', big.ok && br !== undefined ? `${(br * 1024 / 1e9).toFixed(2)} GB: ${br * 1024 <= 1.5e9 ? 'met' : 'not met'}` : `not met: ${big.why}`]);
  const small = near(20_000);
  const v = injectVerdict(small);
  const full = small?.cases.find((c) => c.name === FULL);
  if (v.ok && full?.median && full.failures.length === 0 && v.c?.median) {
    const x = full.median.wallMs / v.c.median.wallMs;
    rows.push(['inject >= 50x faster than the full plan at 20,000', `${fmtX(x)}: ${x >= 50 ? 'met' : 'not met'}`]);
  } else {
    rows.push(['inject >= 50x faster than the full plan at 20,000', `not met: ${v.ok ? `full plan ${full?.skipped ?? (full?.failures.join('; ') || 'not measured')}` : v.why}`]);
  }
  return rows;
}

function table(results: SizeResult[]): string {
  const lines = [
    '| resources | state | case | wall (median) | peak RSS, process tree | vs full | vs target | load | detect | scope | synthesize | binary | ran |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of results) {
    const label = (s.instances ?? s.requested).toLocaleString('en-US');
    const state = s.stateBytes === null ? '-' : `${(s.stateBytes / 1e6).toFixed(0)} MB`;
    if (s.skipped) {
      lines.push(`| ${label} | ${state} | all | ${s.skipped} | | | | | | | | | |`);
      continue;
    }
    const full = s.cases.find((c) => c.name === FULL)?.median;
    const target = s.cases.find((c) => c.name === TARGET)?.median;
    for (const c of s.cases) {
      if (!c.median) {
        lines.push(`| ${label} | ${state} | ${c.name} | ${c.skipped ?? `FAILED: ${c.failures.join('; ')}`} | | | | | | | | | |`);
        continue;
      }
      const m = c.median;
      const d = m.durationsMs;
      const ms = (x: number | undefined): string => (x === undefined ? '-' : `${x.toFixed(0)} ms`);
      const ran = [...new Set(c.runs.map((r) => r.execution ?? (c.name === FULL ? 'full' : 'unknown (no --report)')))].join(', ');
      const fell = c.runs.find((r) => r.fallbackReason)?.fallbackReason;
      lines.push(
        `| ${label} | ${state} | ${c.name} | ${fmtS(m.wallMs)} | ${fmtMB(m.peakRssKiB)} | ${full && c.name !== FULL ? `${fmtX(full.wallMs / m.wallMs)} faster` : '-'} | ${target && c.name === INJECT ? `${fmtX(target.wallMs / m.wallMs)} faster` : '-'} | ${ms(d?.load)} | ${ms(d?.detect)} | ${ms(d?.scope)} | ${ms(d?.synthesize)} | ${ms(d?.binary)} | ${ran}${fell ? ` (fallback: ${fell})` : ''}${c.failures.length ? `; ${c.failures.length} failed run(s)` : ''} |`,
      );
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  if (!existsSync(join(repo, 'dist', 'cli', 'main.js'))) throw new Error('run `npm run build` first (npm run bench:inject does)');
  for (const n of SIZES) if (!Number.isInteger(n) || n < 101) throw new Error(`BENCH_SIZES: ${n} is not a size of at least 101`);
  const tf = findTerraform();
  const tfVersion = (JSON.parse(spawnSync(tf, ['version', '-json'], { encoding: 'utf8' }).stdout) as { terraform_version: string }).terraform_version;
  const help = spawnSync(process.execPath, [velocityBin, 'plan', '--help'], { encoding: 'utf8' }).stdout;
  if (!help.includes('--mode') || !help.includes('--report')) throw new Error('this build of velocity has no `plan --mode` / `--report` (issue 11): nothing to measure');
  const uptime = (): string => spawnSync('uptime', { encoding: 'utf8' }).stdout.trim();
  const started = new Date();
  const uptimeStart = uptime();
  const results: SizeResult[] = [];
  for (const n of SIZES) results.push(await benchSize(n, tf));
  const uptimeEnd = uptime();
  const md = table(results);
  const goalRows = goals(results);
  const goalMd = ['| goal | result |', '|---|---|', ...goalRows.map(([g, r]) => `| ${g} | ${r} |`)].join('\n');
  const failed = results.some((s) => s.cases.some((c) => c.failures.length > 0));
  const fallbacks = results.flatMap((s) => s.cases.flatMap((c) => c.runs.filter((r) => c.name === INJECT && r.execution !== 'inject').map((r) => `${(s.instances ?? s.requested).toLocaleString('en-US')}: inject fell back to ${r.execution} (${r.fallbackReason ?? 'no reason given'})`)));
  const note =
    `Synth customers shape (seed 7), one device edited (device_settings entry in main.tf) and named with --changed; snapshot cache warm; ` +
    `median of ${[...new Set(results.map((r) => r.runs))].join('/')} interleaved runs; terraform ${tfVersion}, node ${process.version}, ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GiB.\n` +
    `Peak RSS: the largest sum of VmRSS over the whole process tree (velocity + terraform) sampled every 20 ms.\n` +
    `Load: start "${uptimeStart}", end "${uptimeEnd}".`;
  process.stdout.write(`\n${md}\n\n${goalMd}\n\n${note}\n${fallbacks.length ? `\nFALLBACKS (inject did not run):\n${fallbacks.join('\n')}\n` : ''}${failed ? '\nSOME RUNS FAILED (see the table): their numbers are not in the medians.\n' : ''}`);
  mkdirSync(join(repo, 'bench', 'results'), { recursive: true });
  const json = `${JSON.stringify({ date: started.toISOString(), node: process.version, terraform: tfVersion, cpus: cpus().length, totalMemBytes: totalmem(), uptimeStart, uptimeEnd, binaryMax: BINARY_MAX, results, goals: Object.fromEntries(goalRows), table: md, goalsTable: goalMd }, null, 2)}\n`;
  const out = join(repo, 'bench', 'results', `inject-${started.toISOString().slice(0, 10)}.json`);
  writeFileSync(out, json);
  writeFileSync(join(repo, 'bench', 'results', 'inject-latest.json'), json);
  process.stdout.write(`\nwrote ${out}\n`);
  if (failed) process.exitCode = 1;
}

await main();
