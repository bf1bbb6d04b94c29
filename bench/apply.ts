// `npm run bench:apply` (issue 12, "Prove it"): `velocity apply -auto-approve` of one device edit against
// `terraform apply -auto-approve` on `velocity synth --shape customers` workspaces (20,000 and 100,000 resources), and
// the 2,001-resource sim case end to end: `velocity plan` with the ledger the previous `velocity apply` recorded (no
// --changed) against a full `terraform plan`, and both applies. Every run is checked (exit 0, the plan and apply
// counts, the detector that ran, the state afterwards); a failed check is reported, never hidden.
//
//   npm run bench:apply                                     # 20,000 and 100,000 resources, then the sim case
//   BENCH_SIZES=20000 BENCH_RUNS=3 npm run bench:apply
//   env: BENCH_SIZES (terraform_data sizes; "none" skips them), BENCH_RUNS (default 3: velocity apply --changed and
//        every sim case), BENCH_FULL_RUNS (cases that cost O(N): terraform apply and velocity apply through the
//        ledger; default BENCH_RUNS below 100,000, 1 from 100,000), BENCH_SIM=0 (skip the sim case),
//        BENCH_CASES (terraform_data cases, default terraform,ledger,named), BENCH_SIM_CUSTOMERS (default 80: 2,001 resources), BENCH_SIM_LATENCY_MS (default 20),
//        BENCH_DIR (default /var/tmp/velocity-bench-apply), BENCH_KEEP=1, BENCH_TERRAFORM

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, openSync, readFileSync, readSync, closeSync, rmSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { startSim, type SimServer } from '../test/support/sim/start-sim.js';
import { writeSimWorkspace, type SimWorkspace } from '../test/support/sim/write-sim-workspace.js';
import { customerKey, findTerraform, fmtMB, fmtS, fmtX, load1, median, runMeasured, setupStep, tailOf, type Spawned } from './bench-process.js';
import { checkApply, checkPlan, ONE_CHANGE } from './terraform-summary.js';

const repo = resolve(import.meta.dirname, '..');
const velocityBin = join(repo, 'bin', 'velocity.js');
const SIZES_ENV = process.env['BENCH_SIZES'] ?? '20000,100000';
const SIZES = SIZES_ENV === 'none' ? [] : SIZES_ENV.split(',').map((s) => Number(s.trim()));
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const FULL_RUNS_ENV = process.env['BENCH_FULL_RUNS'];
const SIM = process.env['BENCH_SIM'] !== '0';
/** terraform_data cases to run: terraform, ledger, named (default all). */
const CASES = new Set((process.env['BENCH_CASES'] ?? 'terraform,ledger,named').split(',').map((s) => s.trim()));
type SimVariant = 'tfvars' | 'tfvars-json' | 'locals';
const SIM_LABEL: Record<SimVariant, string> = {
  tfvars: 'customers in customers.auto.tfvars',
  'tfvars-json': 'customers in customers.auto.tfvars.json',
  locals: 'customers in locals',
};
const SIM_VARIANTS = (process.env['BENCH_SIM_VARIANTS'] ?? 'tfvars,tfvars-json,locals').split(',').map((v) => v.trim()) as SimVariant[];
const SIM_CUSTOMERS = Number(process.env['BENCH_SIM_CUSTOMERS'] ?? 80);
const SIM_LATENCY_MS = Number(process.env['BENCH_SIM_LATENCY_MS'] ?? 20);
const BENCH_DIR = resolve(process.env['BENCH_DIR'] ?? '/var/tmp/velocity-bench-apply');
const KEEP = process.env['BENCH_KEEP'] === '1';
/** The machine counts as loaded above this 1-minute load average (2 shared cores). */
const UNDER_LOAD = 2;

/** One measured command. */
interface Run {
  wallMs: number;
  peakRssKiB: number;
  hwmSumKiB: number;
  /** The report's `mode` (what ran), null for plain terraform. */
  execution: string | null;
  /** The report's `detection` (explicit, config, probe, stream-probe), null for plain terraform. */
  detection: string | null;
  cone: number | null;
  refreshed: number | null;
  /** The report's step times (load, detect, scope, synthesize, binary) in ms, null for plain terraform. */
  durationsMs: Record<string, number> | null;
  /** ReadResource calls the sim served during the command (sim case only). */
  simReads: number | null;
  loadStart: number;
  loadEnd: number;
}

interface CaseResult {
  part: 'terraform_data' | 'sim';
  resources: number;
  name: string;
  /** The command, for the reader (paths shortened). */
  command: string;
  runs: Run[];
  failures: string[];
  /** What was checked on top of every run's exit code and counts (e.g. the plan after the apply), and its outcome. */
  verified: string[];
  median: { wallMs: number; peakRssKiB: number } | null;
  /** Wall-time ratio of the baseline case (terraform) to this one, from the medians. */
  vsBaseline: number | null;
  baseline: string | null;
  loadStart: number | null;
  loadEnd: number | null;
}

const newCase = (part: CaseResult['part'], resources: number, name: string, command: string, baseline: string | null): CaseResult => ({
  part,
  resources,
  name,
  command,
  runs: [],
  failures: [],
  verified: [],
  median: null,
  vsBaseline: null,
  baseline,
  loadStart: null,
  loadEnd: null,
});

interface VelocityReport {
  mode: string;
  detection: string | null;
  cone: number;
  refreshed: number | null;
  fallbackReason: string | null;
  durationsMs: Record<string, number> | null;
}

/** The `--report` file of a velocity run, or why it cannot be read. O(file). */
function readReport(path: string): VelocityReport | string {
  if (!existsSync(path)) return 'no --report file written';
  const r = JSON.parse(readFileSync(path, 'utf8')) as Partial<VelocityReport>;
  if (typeof r.mode !== 'string' || !('detection' in r)) return 'the --report file has no mode/detection (an older build?)';
  return { mode: r.mode, detection: r.detection ?? null, cone: r.cone ?? -1, refreshed: r.refreshed ?? null, fallbackReason: r.fallbackReason ?? null, durationsMs: r.durationsMs ?? null };
}

/** serial and lineage from the head of a tfstate (terraform writes them first). O(1): reads 4 KiB. */
function stateHead(path: string): { serial: number; lineage: string } {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n).toString('utf8');
    return { serial: Number(/"serial":\s*(\d+)/.exec(head)?.[1] ?? -1), lineage: /"lineage":\s*"([^"]+)"/.exec(head)?.[1] ?? '' };
  } finally {
    closeSync(fd);
  }
}

/**
 * The checks of one measured run: exit 0, one plan line and (for an apply) one "Apply complete!" line with exactly
 * one in-place update, and for velocity a report whose detector is one of `detections`. Returns the problem or null.
 */
function checkRun(r: Spawned, kind: 'plan' | 'apply', report: VelocityReport | string | null, detections: readonly string[] | null): string | null {
  if (r.code === null) return `killed (no exit within the run timeout): ${tailOf(r)}`;
  if (r.code !== 0) return `exit ${r.code}: ${tailOf(r)}`;
  const plan = checkPlan(r.stdout, ONE_CHANGE);
  if (plan) return plan;
  if (kind === 'apply') {
    const applied = checkApply(r.stdout, ONE_CHANGE);
    if (applied) return applied;
  }
  if (typeof report === 'string') return report;
  if (report && detections && !detections.includes(report.detection ?? 'none')) return `detection ${report.detection ?? 'none'}, expected ${detections.join(' or ')}`;
  return null;
}

function record(c: CaseResult, r: Spawned, report: VelocityReport | null, simReads: number | null, loadStart: number): Run {
  const run: Run = {
    wallMs: r.wallMs,
    peakRssKiB: r.rss.peakKiB,
    hwmSumKiB: r.rss.hwmSumKiB,
    execution: report?.mode ?? null,
    detection: report?.detection ?? null,
    cone: report?.cone ?? null,
    refreshed: report?.refreshed ?? null,
    durationsMs: report?.durationsMs ?? null,
    simReads,
    loadStart,
    loadEnd: load1(),
  };
  c.runs.push(run);
  c.loadStart ??= loadStart;
  c.loadEnd = run.loadEnd;
  const d = report?.durationsMs;
  const steps = d ? `; load ${fmtS(d['load'] ?? 0)}, detect ${fmtS(d['detect'] ?? 0)}, synthesize ${fmtS(d['synthesize'] ?? 0)}, binary ${fmtS(d['binary'] ?? 0)}` : '';
  const ran = report ? `, ran ${report.mode} (detection ${report.detection ?? 'none'}, cone ${report.cone}, refreshed ${report.refreshed ?? '-'}${steps})` : '';
  process.stderr.write(
    `bench:apply ${c.resources}: ${c.name} run ${c.runs.length}: ${fmtS(run.wallMs)}, tree peak ${fmtMB(run.peakRssKiB)}${ran}${simReads === null ? '' : `, sim reads ${simReads}`}, load ${loadStart.toFixed(1)}->${run.loadEnd.toFixed(1)}\n`,
  );
  return run;
}

function fail(c: CaseResult, what: string): void {
  c.failures.push(what);
  process.stderr.write(`bench:apply ${c.resources}: ${c.name} FAILED: ${what}\n`);
}

function finish(cases: CaseResult[]): void {
  for (const c of cases) if (c.runs.length > 0) c.median = { wallMs: median(c.runs.map((r) => r.wallMs)), peakRssKiB: median(c.runs.map((r) => r.peakRssKiB)) };
  for (const c of cases) {
    const base = cases.find((b) => b.name === c.baseline && b.resources === c.resources && b.part === c.part);
    if (base?.median && c.median && base.failures.length === 0 && c.failures.length === 0) c.vsBaseline = base.median.wallMs / c.median.wallMs;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Part 1: terraform_data workspaces from `velocity synth`.

const TF_APPLY = 'terraform apply';
const V_LEDGER = 'velocity apply (ledger)';
const V_NAMED = 'velocity apply --changed';

async function benchSize(requested: number, tf: string, baseEnv: NodeJS.ProcessEnv): Promise<CaseResult[]> {
  const fullRuns = Number(FULL_RUNS_ENV ?? (requested >= 100_000 ? 1 : RUNS));
  const root = join(BENCH_DIR, `customers-${requested}`);
  const base = join(root, 'base');
  const cacheDir = join(root, 'cache');
  const env: NodeJS.ProcessEnv = { ...baseEnv, VELOCITY_CACHE_DIR: cacheDir };
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  try {
    process.stderr.write(`bench:apply ${requested}: velocity synth into ${base}\n`);
    const summary = JSON.parse(setupStep([process.execPath, velocityBin, 'synth', '--resources', String(requested), '--shape', 'customers', '--seed', '7', '--out', base, '--json'], repo, env)) as { instances: number; facts: { customers: number } };
    const n = summary.instances;
    const statePath = join(base, 'terraform.tfstate');
    const before = stateHead(statePath);
    // NOTE: init needs no state (terraform_data is built in, no backend block): keep the big file out of its way.
    renameSync(statePath, `${statePath}.aside`);
    try {
      setupStep([tf, 'init', '-input=false', '-no-color'], base, env);
    } finally {
      renameSync(`${statePath}.aside`, statePath);
    }
    // The user's path: the ledger of the applied state first (what the previous `velocity apply` leaves), then the edit.
    setupStep([process.execPath, velocityBin, 'ledger', 'record', '--state', 'terraform.tfstate'], base, env);
    // The edit, as bench/inject.ts makes it: one device's input gets a firmware attribute through device_settings.
    const customer = customerKey(Math.floor(summary.facts.customers / 2), summary.facts.customers);
    const changed = `module.customer["${customer}"].terraform_data.device["d07"]`;
    const mainTf = join(base, 'main.tf');
    const text = readFileSync(mainTf, 'utf8');
    const edited = text.replace('  default = {}\n', `  default = { "${customer}/d07" = { firmware = "2.0" } }\n`);
    if (edited === text) throw new Error('main.tf has no `default = {}` for device_settings: the synth customers shape changed');
    writeFileSync(mainTf, edited);

    const report = join(root, 'report.json');
    const velocity = (named: boolean): string[] => [process.execPath, velocityBin, 'apply', '--binary', tf, '--mode', 'inject', '--report', report, ...(named ? ['--changed', changed] : []), '-auto-approve', '-input=false', '-no-color'];
    const all = [
      { key: 'terraform', c: newCase('terraform_data', n, TF_APPLY, 'terraform apply -auto-approve', null), argv: [tf, 'apply', '-auto-approve', '-input=false', '-no-color'], runs: fullRuns, detections: null },
      { key: 'ledger', c: newCase('terraform_data', n, V_LEDGER, 'velocity apply --mode inject -auto-approve (ledger recorded, no --changed)', TF_APPLY), argv: velocity(false), runs: fullRuns, detections: ['config'] },
      { key: 'named', c: newCase('terraform_data', n, V_NAMED, `velocity apply --mode inject --changed '${changed}' -auto-approve`, TF_APPLY), argv: velocity(true), runs: RUNS, detections: ['explicit'] },
    ];
    const cases = all.filter((x) => CASES.has(x.key));
    // Warm the snapshot cache and the page cache: one velocity run on a copy, not measured (a user's cache is warm
    // from the plan before; every copy has the base's state bytes, so later runs hit the same snapshot).
    const work = join(root, 'run');
    const fresh = (): void => {
      rmSync(work, { recursive: true, force: true });
      cpSync(base, work, { recursive: true });
    };
    fresh();
    process.stderr.write(`bench:apply ${requested}: warm-up (fills the snapshot cache ${cacheDir})\n`);
    const warm = await runMeasured(velocity(true), work, env);
    if (warm.code !== 0) throw new Error(`warm-up exited ${warm.code}:\n${tailOf(warm, 20)}`);
    // NOTE: interleaved (A B C A B C ...) so a change in the machine's load hits every case alike.
    for (let i = 0; i < Math.max(RUNS, fullRuns); i++) {
      for (const { c, argv, runs, detections } of cases) {
        if (i >= runs) continue;
        fresh(); // the applied base again: every run starts from the same state and ledger
        rmSync(report, { force: true });
        const loadStart = load1();
        const r = await runMeasured(argv, work, env);
        const rep = detections ? readReport(report) : null;
        const problem = checkRun(r, 'apply', rep, detections);
        if (problem) {
          fail(c, `run ${i + 1}: ${problem}`);
          continue;
        }
        // velocity writes serial + 1 (the merge's contract); terraform persists as often as it likes, but moves forward.
        const after = stateHead(join(work, 'terraform.tfstate'));
        const serialOk = detections ? after.serial === before.serial + 1 : after.serial > before.serial;
        if (!serialOk || after.lineage !== before.lineage) {
          fail(c, `run ${i + 1}: state serial ${before.serial} -> ${after.serial}, lineage ${after.lineage === before.lineage ? 'kept' : 'changed'}`);
          continue;
        }
        record(c, r, typeof rep === 'string' ? null : rep, null, loadStart);
        if (detections && i === 0) {
          // Nothing left to do on velocity's result (once per case: at 100,000 this plan alone takes minutes).
          const check = spawnSync(tf, ['plan', '-detailed-exitcode', '-refresh=false', '-input=false', '-no-color', '-lock=false'], { cwd: work, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
          const ok = check.status === 0;
          c.verified.push(`terraform plan -detailed-exitcode -refresh=false after run 1: exit ${check.status}${ok ? ' (no changes)' : ''}`);
          if (!ok) fail(c, `after run 1: terraform plan -detailed-exitcode -refresh=false exited ${check.status}: ${tailOf({ stdout: check.stdout, stderr: check.stderr })}`);
        }
      }
    }
    const out = cases.map((x) => x.c);
    finish(out);
    return out;
  } finally {
    if (!KEEP) rmSync(root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Part 2: the sim provider (read latency per call), 2,001 resources, customers in tfvars (per-key narrowing) or locals.

const SIM_TF_PLAN = 'terraform plan (full)';
const SIM_V_PLAN = 'velocity plan (ledger from velocity apply)';
const SIM_TF_APPLY = 'terraform apply';
const SIM_V_APPLY = 'velocity apply (ledger from velocity apply)';

async function measuredWithReads(sim: SimServer, argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ r: Spawned; reads: number; loadStart: number }> {
  await sim.resetCounters();
  const loadStart = load1();
  const r = await runMeasured(argv, cwd, env);
  return { r, reads: (await sim.counters()).rpc['ReadResource'] ?? 0, loadStart };
}

async function benchSim(variant: SimVariant, tf: string, baseEnv: NodeJS.ProcessEnv): Promise<CaseResult[]> {
  const root = join(BENCH_DIR, `sim-${variant}`);
  const label = SIM_LABEL[variant];
  const options = { customers: SIM_CUSTOMERS, tunnelsPerCustomer: 4, devicesPerCustomer: 20, withState: true, customersIn: variant } as const;
  const probeWs = writeSimWorkspace(join(root, 'shape'), options);
  const n = probeWs.resourceCount;
  const tag = (name: string): string => `${name} [${label}]`;
  const report = join(root, 'report.json');
  const vPlan = [process.execPath, velocityBin, 'plan', '--binary', tf, '--report', report, '-input=false', '-no-color'];
  const vApply = [process.execPath, velocityBin, 'apply', '--binary', tf, '--report', report, '-auto-approve', '-input=false', '-no-color'];
  const cases = {
    tfPlan: newCase('sim', n, tag(SIM_TF_PLAN), 'terraform plan', null),
    vPlan: newCase('sim', n, tag(SIM_V_PLAN), 'velocity plan (no --changed)', tag(SIM_TF_PLAN)),
    tfApply: newCase('sim', n, tag(SIM_TF_APPLY), 'terraform apply -auto-approve', null),
    vApply: newCase('sim', n, tag(SIM_V_APPLY), 'velocity apply -auto-approve (no --changed)', tag(SIM_TF_APPLY)),
  };
  const customers = probeWs.customers;
  // The goal case must not probe; with customers in locals the change is block level and may fall to the probe:
  // accepted there, and shown in the table.
  const measuredDetections = variant === 'locals' ? ['config', 'probe', 'stream-probe'] : ['config'];
  const at = (k: number): string => customers[Math.min(customers.length - 1, k)] as string;
  try {
    for (let i = 0; i < RUNS; i++) {
      const dir = join(root, `run-${i + 1}`);
      const twin = join(root, `run-${i + 1}-terraform`);
      rmSync(dir, { recursive: true, force: true });
      rmSync(twin, { recursive: true, force: true });
      const ws: SimWorkspace = writeSimWorkspace(dir, options);
      // Two clouds: velocity's and terraform's applies must each find the cloud as their own state says.
      const sim = await startSim({ readLatencyMs: SIM_LATENCY_MS });
      let simTwin: SimServer | undefined;
      try {
        const env = { ...baseEnv, ...sim.reattachEnv() };
        // 1. A first edit applied by velocity: no ledger yet (the probe finds it); the apply records the ledger.
        ws.setDeviceValue(at(10 + i), 'd05', `first-${i}`);
        rmSync(report, { force: true });
        const first = await runMeasured(vApply, dir, env);
        const firstReport = readReport(report);
        const firstProblem = checkRun(first, 'apply', firstReport, ['probe', 'stream-probe', 'config']);
        if (firstProblem || !first.stdout.includes('Velocity: ledger recorded at state serial')) {
          fail(cases.vPlan, `run ${i + 1}: the first velocity apply ${firstProblem ?? 'recorded no ledger'}`);
          continue;
        }
        // 2. The measured edit: one device value of another customer.
        const customer = at(Math.floor(customers.length / 2) + i);
        ws.setDeviceValue(customer, 'd13', `edit-${i}`);
        rmSync(report, { force: true });
        const vp = await measuredWithReads(sim, vPlan, dir, env);
        const vpReport = readReport(report);
        // NOTE: `config` is the only acceptable detector: a probe (plan -refresh=false) reads nothing but walks everything.
        const vpProblem = checkRun(vp.r, 'plan', vpReport, measuredDetections);
        if (vpProblem) fail(cases.vPlan, `run ${i + 1}: ${vpProblem}`);
        else record(cases.vPlan, vp.r, vpReport as VelocityReport, vp.reads, vp.loadStart);
        const tp = await measuredWithReads(sim, [tf, 'plan', '-input=false', '-no-color'], dir, env);
        const tpProblem = checkRun(tp.r, 'plan', null, null) ?? (tp.reads === n ? null : `${tp.reads} reads, expected ${n}`);
        if (tpProblem) fail(cases.tfPlan, `run ${i + 1}: ${tpProblem}`);
        else record(cases.tfPlan, tp.r, null, tp.reads, tp.loadStart);
        // 3. Both applies of the same edit, each from the same state, each against its own cloud.
        cpSync(dir, twin, { recursive: true });
        simTwin = await startSim({ readLatencyMs: SIM_LATENCY_MS });
        rmSync(report, { force: true });
        const va = await measuredWithReads(sim, vApply, dir, env);
        const vaReport = readReport(report);
        const vaProblem = checkRun(va.r, 'apply', vaReport, measuredDetections);
        if (vaProblem) fail(cases.vApply, `run ${i + 1}: ${vaProblem}`);
        else record(cases.vApply, va.r, vaReport as VelocityReport, va.reads, va.loadStart);
        const ta = await measuredWithReads(simTwin, [tf, 'apply', '-auto-approve', '-input=false', '-no-color'], twin, { ...baseEnv, ...simTwin.reattachEnv() });
        const taProblem = checkRun(ta.r, 'apply', null, null);
        if (taProblem) fail(cases.tfApply, `run ${i + 1}: ${taProblem}`);
        else record(cases.tfApply, ta.r, null, ta.reads, ta.loadStart);
        if (i === 0 && !vaProblem) {
          // Nothing left to do on velocity's result, cloud included: a full plan (every object read) says no changes.
          const check = await runMeasured([tf, 'plan', '-detailed-exitcode', '-input=false', '-no-color'], dir, env);
          cases.vApply.verified.push(`terraform plan -detailed-exitcode (full refresh) after run 1: exit ${check.code}${check.code === 0 ? ' (no changes)' : ''}`);
          if (check.code !== 0) fail(cases.vApply, `after run 1: terraform plan -detailed-exitcode exited ${check.code}: ${tailOf(check)}`);
        }
      } finally {
        await sim.stop();
        await simTwin?.stop();
        if (!KEEP) {
          rmSync(dir, { recursive: true, force: true });
          rmSync(twin, { recursive: true, force: true });
        }
      }
    }
  } finally {
    if (!KEEP) rmSync(root, { recursive: true, force: true });
  }
  const out = [cases.tfPlan, cases.vPlan, cases.tfApply, cases.vApply];
  finish(out);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Output.

const loadText = (c: CaseResult): string => {
  if (c.loadStart === null || c.loadEnd === null) return '-';
  const loaded = Math.max(c.loadStart, c.loadEnd) > UNDER_LOAD;
  return `${c.loadStart.toFixed(1)} -> ${c.loadEnd.toFixed(1)}${loaded ? ' (under load)' : ''}`;
};

function table(cases: CaseResult[]): string {
  const lines = [
    '| part | resources | case | runs | wall (median) | peak RSS, process tree | vs terraform | ran: mode / detection / cone / refreshed | of which the binary (median) | sim reads | load 1-min, start -> end |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const c of cases) {
    const res = c.resources.toLocaleString('en-US');
    const runs = `${c.runs.length}${c.failures.length ? ` (+${c.failures.length} FAILED)` : ''}`;
    if (!c.median) {
      lines.push(`| ${c.part} | ${res} | ${c.name} | ${runs} | FAILED: ${c.failures.join('; ')} | | | | | | ${loadText(c)} |`);
      continue;
    }
    const ran = c.runs[0]?.execution ? [...new Set(c.runs.map((r) => `${r.execution} / ${r.detection ?? 'none'} / ${r.cone ?? '-'} / ${r.refreshed ?? '-'}`))].join(', ') : 'terraform alone';
    const reads = c.runs[0]?.simReads === null || c.runs[0]?.simReads === undefined ? '-' : [...new Set(c.runs.map((r) => r.simReads))].join(', ');
    const binary = c.runs.every((r) => r.durationsMs) ? fmtS(median(c.runs.map((r) => r.durationsMs?.['binary'] ?? 0))) : '-';
    lines.push(
      `| ${c.part} | ${res} | ${c.name} | ${runs} | ${fmtS(c.median.wallMs)} | ${fmtMB(c.median.peakRssKiB)} | ${c.vsBaseline === null ? '-' : `${fmtX(c.vsBaseline)} faster`} | ${ran} | ${binary} | ${reads} | ${loadText(c)} |`,
    );
  }
  return lines.join('\n');
}

/** A goal's row: PASS/FAIL with the figure, or FAIL with why there is no figure. */
function goalRow(goal: string, c: CaseResult | undefined, atLeast: number): [string, string] {
  if (!c) return [goal, 'FAIL: not measured (not in this run: see BENCH_SIZES / BENCH_SIM)'];
  if (c.failures.length > 0) return [goal, `FAIL: ${c.failures.length} failed run(s): ${c.failures[0]}`];
  if (c.vsBaseline === null) return [goal, 'FAIL: no ratio (the baseline failed or did not run)'];
  return [goal, `${c.vsBaseline >= atLeast ? 'PASS' : 'FAIL'}: ${fmtX(c.vsBaseline)}`];
}

function goals(cases: CaseResult[]): [string, string][] {
  const near = (name: string, n: number): CaseResult | undefined => cases.find((c) => c.name === name && Math.abs(c.resources - n) / n < 0.05);
  const sim = (name: string, variant: string): CaseResult | undefined => cases.find((c) => c.part === 'sim' && c.name === `${name} [${variant}]`);
  return [
    goalRow('sim plan (ledger from velocity apply, no --changed) >= 5x faster than the full plan, customers in tfvars', sim(SIM_V_PLAN, SIM_LABEL.tfvars), 5),
    goalRow('  the same with the customers in .auto.tfvars.json (no HCL parse of the edited file)', sim(SIM_V_PLAN, SIM_LABEL['tfvars-json']), 5),
    goalRow('  the same with customers in locals (block-level change: not the goal case, shown for contrast)', sim(SIM_V_PLAN, SIM_LABEL.locals), 5),
    goalRow('velocity apply (ledger, no --changed) >= 20x faster than terraform apply at 20,000', near(V_LEDGER, 20_000), 20),
    goalRow('velocity apply --changed >= 20x faster than terraform apply at 20,000', near(V_NAMED, 20_000), 20),
  ];
}

async function main(): Promise<void> {
  if (!existsSync(join(repo, 'dist', 'cli', 'main.js'))) throw new Error('run `npm run build` first (npm run bench:apply does)');
  for (const n of SIZES) if (!Number.isInteger(n) || n < 101) throw new Error(`BENCH_SIZES: ${n} is not a size of at least 101`);
  if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`BENCH_RUNS: ${RUNS} is not a positive integer`);
  const tf = findTerraform();
  const tfVersion = (JSON.parse(spawnSync(tf, ['version', '-json'], { encoding: 'utf8' }).stdout) as { terraform_version: string }).terraform_version;
  mkdirSync(BENCH_DIR, { recursive: true });
  const tfrc = join(BENCH_DIR, 'terraformrc');
  writeFileSync(tfrc, 'disable_checkpoint = true\n');
  const env: NodeJS.ProcessEnv = { ...process.env, TF_CLI_CONFIG_FILE: tfrc, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
  const uptime = (): string => spawnSync('uptime', { encoding: 'utf8' }).stdout.trim();
  const started = new Date();
  const uptimeStart = uptime();
  const cases: CaseResult[] = [];
  const errors: string[] = [];
  for (const n of SIZES) {
    try {
      cases.push(...(await benchSize(n, tf, env)));
    } catch (e) {
      errors.push(`terraform_data ${n}: ${(e as Error).message}`);
      process.stderr.write(`bench:apply ${n}: ERROR ${(e as Error).message}\n`);
    }
  }
  if (SIM) {
    for (const variant of SIM_VARIANTS) {
      if (!(variant in SIM_LABEL)) throw new Error(`BENCH_SIM_VARIANTS: ${variant} is not one of ${Object.keys(SIM_LABEL).join(', ')}`);
      try {
        cases.push(...(await benchSim(variant, tf, { ...env, VELOCITY_CACHE_DIR: join(BENCH_DIR, `sim-cache-${variant}`) })));
      } catch (e) {
        errors.push(`sim ${variant}: ${(e as Error).message}`);
        process.stderr.write(`bench:apply sim ${variant}: ERROR ${(e as Error).message}\n`);
      } finally {
        if (!KEEP) rmSync(join(BENCH_DIR, `sim-cache-${variant}`), { recursive: true, force: true });
      }
    }
  }
  const uptimeEnd = uptime();
  const md = table(cases);
  const goalRows = goals(cases);
  const goalMd = ['| goal | result |', '|---|---|', ...goalRows.map(([g, r]) => `| ${g} | ${r} |`)].join('\n');
  const verified = cases.flatMap((c) => c.verified.map((v) => `${c.resources.toLocaleString('en-US')} ${c.name}: ${v}`));
  const failed = errors.length > 0 || cases.some((c) => c.failures.length > 0);
  const note =
    `terraform_data: velocity synth customers (seed 7), one device edited (device_settings default in main.tf), every run on a fresh copy of the applied base (state + ledger); ` +
    `snapshot cache warm. sim: ${SIM_CUSTOMERS} customers x (1 site + 4 tunnels + 20 devices) + controller, ${SIM_LATENCY_MS} ms per read; per run a first edit applied by velocity (records the ledger), then one device value of another customer edited and measured. ` +
    `Peak RSS: the largest sum of VmRSS over the measured process tree (velocity + terraform; the sim is a separate process, not counted), sampled every 20 ms. ` +
    `terraform ${tfVersion}, node ${process.version}, ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GiB.\nLoad: start "${uptimeStart}", end "${uptimeEnd}".`;
  process.stdout.write(
    `\n${md}\n\n${goalMd}\n\n${verified.length ? `Checked after the runs:\n${verified.map((v) => `- ${v}`).join('\n')}\n\n` : ''}${note}\n` +
      `${errors.length ? `\nERRORS (cases that could not run):\n${errors.join('\n')}\n` : ''}${failed ? '\nSOME RUNS FAILED (see the table): their numbers are not in the medians.\n' : ''}`,
  );
  mkdirSync(join(repo, 'bench', 'results'), { recursive: true });
  const json = `${JSON.stringify({ date: started.toISOString(), node: process.version, terraform: tfVersion, cpus: cpus().length, totalMemBytes: totalmem(), uptimeStart, uptimeEnd, runs: RUNS, fullRuns: FULL_RUNS_ENV ?? null, cases, errors, goals: Object.fromEntries(goalRows), table: md, goalsTable: goalMd }, null, 2)}\n`;
  // NOTE: date and time (UTC), so a sim-only run and a size run of the same day both stay.
  const out = join(repo, 'bench', 'results', `apply-${started.toISOString().slice(0, 16).replace(':', '')}.json`);
  writeFileSync(out, json);
  writeFileSync(join(repo, 'bench', 'results', 'apply-latest.json'), json);
  process.stdout.write(`\nwrote ${out}\n`);
  if (failed) process.exitCode = 1;
}

await main();
