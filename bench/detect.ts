// Benchmark of configuration change detection (issue 7). Seeded customers-shape workspaces at 20,000 and
// 100,000 resources, in two layouts: one `for_each` module (small text) and one resource block per resource
// (text proportional to N, 1,000 blocks a file). Measures detection cold (every file parsed: what
// `ledger record` pays after an apply) and warm after a one-resource edit (only the edited file re-parsed),
// against Terraform's own probe (`plan -refresh=false` + `show -json`), measured once at 20,000 resources in
// the same run, plus the end-to-end plan for that edit (detection + state load + the targeted plan velocity runs)
// against a full `terraform plan`. Prints a table; writes JSON to bench/results/. Run: npm run bench:detect
// Env: BENCH_DETECT_SIZES=20000,100000  BENCH_DETECT_LAYOUTS=for_each,blocks  BENCH_DETECT_TERRAFORM=0 (skip terraform)

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Bench } from 'tinybench';
import { ConfigChangeDetector } from '../src/detect/config-change-detector.js';
import { loadState } from '../src/state/load-state.js';
import { writeCustomersWorkspace } from '../test/support/customers-config.js';
import { tfBinary } from '../test/support/terraform-env.js';

const run = promisify(execFile);
const TERRAFORM = tfBinary;
const SIZES = (process.env['BENCH_DETECT_SIZES'] ?? '20000,100000').split(',').map(Number);
const WITH_TF = process.env['BENCH_DETECT_TERRAFORM'] !== '0' && TERRAFORM !== undefined;
const LAYOUTS = (process.env['BENCH_DETECT_LAYOUTS'] ?? 'for_each,blocks').split(',') as ('for_each' | 'blocks')[];
const VELOCITY_BIN = join(import.meta.dirname, '..', 'bin', 'velocity.js');
const EDITED = 'c00041'; // customer 41: in customers_0001.tf (40 customers a file)

interface Row {
  readonly case: string;
  readonly resources: number;
  readonly layout: string;
  readonly configBytes?: number;
  readonly ms: number;
  /** CPU time of this process (user + system) for the same work; NaN for child-process rows. */
  readonly cpuMs: number;
  readonly samples: number;
  readonly rssMB: number;
  readonly note: string;
}
const rows: Row[] = [];
function push(r: Row): void {
  rows.push(r);
  // Printed as measured: a long run still shows its numbers if interrupted.
  console.log(`${r.case} | ${r.layout} | ${r.resources} | ${Math.round(r.ms)} ms wall | ${Number.isNaN(r.cpuMs) ? '-' : `${Math.round(r.cpuMs)} ms cpu`} | ${r.rssMB} MB | ${r.note}`);
}
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const rss = (): number => Math.round(process.memoryUsage().rss / 1e6);

function configBytes(dir: string, layout: string): number {
  const files = layout === 'for_each' ? ['main.tf', 'terraform.tfvars', 'modules/customer/main.tf'] : [];
  if (layout === 'blocks') for (let f = 0; existsSync(join(dir, `customers_${String(f).padStart(4, '0')}.tf`)); f++) files.push(`customers_${String(f).padStart(4, '0')}.tf`);
  return files.reduce((n, f) => n + readFileSync(join(dir, f)).length, 0);
}

/** One edit of one resource's configuration, unique per call so the edited file is never a cache hit. */
function edit(dir: string, layout: string, i: number): void {
  const replace = (p: string, re: RegExp, to: string): void => {
    const before = readFileSync(p, 'utf8');
    const after = before.replace(re, to);
    if (after === before) throw new Error(`the benchmark's edit did not apply to ${p}`);
    writeFileSync(p, after);
  };
  if (layout === 'for_each') {
    const p = join(dir, 'terraform.tfvars');
    replace(p, new RegExp(`(  ${EDITED} = \\{ region = ")[^"]*"`), `$1eu-v${i}"`);
  } else {
    const p = join(dir, 'customers_0001.tf');
    replace(p, new RegExp(`(resource "terraform_data" "${EDITED}_d07" \\{\\n  input = "[^"]*-d07)[^"]*"`), `$1-v${i}"`);
  }
}

async function timed(cmd: string, args: string[], cwd: string): Promise<{ ms: number; rssMB: number }> {
  const started = performance.now();
  const { stderr } = await run('/usr/bin/time', ['-f', 'MAXRSS_KB=%M', cmd, ...args], {
    cwd,
    maxBuffer: 1024 * 1024 * 1024,
    timeout: 900_000,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' },
  });
  const kb = Number(/MAXRSS_KB=(\d+)/.exec(stderr)?.[1] ?? 0);
  return { ms: performance.now() - started, rssMB: Math.round(kb / 1000) };
}

const detector = new ConfigChangeDetector();
const root = mkdtempSync(join(tmpdir(), 'velocity-bench-detect-'));
console.log(`load average at start: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} cores`);
try {
  for (const layout of LAYOUTS) {
    for (const n of SIZES) {
      const dir = join(root, `${layout}-${n}`);
      mkdirSync(dir, { recursive: true });
      const terraformHere = WITH_TF && layout === 'for_each' && n === 20_000;
      const state = await writeCustomersWorkspace(dir, { customers: Math.round(n / 25), layout, writeState: terraformHere });
      const bytes = configBytes(dir, layout);
      const resources = state.instances.length;

      // Cold: nothing cached. What `velocity ledger record` pays once after an apply.
      let t = performance.now();
      let c = cpu();
      await detector.record({ workingDir: dir, state, env: {} });
      push({ case: 'detect cold (ledger record: parse everything)', resources, layout, configBytes: bytes, ms: performance.now() - t, cpuMs: cpu() - c, samples: 1, rssMB: rss(), note: 'once' });

      // Warm, nothing changed.
      t = performance.now();
      c = cpu();
      const clean = await detector.detect({ workingDir: dir, state, env: {} });
      if (clean.changed.length !== 0 || clean.fallback) throw new Error(`expected no change, got ${clean.changed.length} ${clean.fallback?.reason ?? ''}`);
      push({ case: 'detect warm, no change', resources, layout, configBytes: bytes, ms: performance.now() - t, cpuMs: cpu() - c, samples: 1, rssMB: rss(), note: 'once' });

      // Warm after a one-resource edit: the edited file (and only it) is parsed again.
      let i = 0;
      let last: Awaited<ReturnType<ConfigChangeDetector['detect']>> | undefined;
      const bench = new Bench({ iterations: 5, time: 0, warmupIterations: 0, warmup: false });
      bench.add(`detect ${layout} ${n}`, async () => {
        last = await detector.detect({ workingDir: dir, state, env: {} });
      }, { beforeEach: () => edit(dir, layout, ++i) });
      c = cpu();
      await bench.run();
      const benchCpu = (cpu() - c) / 5;
      const task = bench.tasks[0];
      const result = task?.result;
      if (result === undefined || !('latency' in result)) throw new Error('bench task did not complete');
      const expected = 1; // for_each: the edited customer's site (the only block reading the element)
      if (last?.changed.length !== expected || last.fallback) throw new Error(`expected ${expected} changed, got ${last?.changed.length}`);
      push({
        case: 'detect warm, one-resource edit',
        resources,
        layout,
        configBytes: bytes,
        ms: result.latency.mean,
        cpuMs: benchCpu,
        samples: result.latency.samples?.length ?? 5,
        rssMB: rss(),
        note: `changed ${last.changed.length} instance(s)${layout === 'for_each' ? ' (tfvars edit: the customer\'s site)' : ''}`,
      });

      if (terraformHere && TERRAFORM !== undefined) {
        await run(TERRAFORM, ['init', '-input=false', '-backend=false'], { cwd: dir, env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
        // The ledger must match the state's serial: record after the (synthesized) apply, then edit.
        await detector.record({ workingDir: dir, state, env: {} });
        edit(dir, layout, 1000);
        const probe1 = await timed(TERRAFORM, ['plan', '-refresh=false', '-input=false', '-lock=false', '-out=probe.tfplan'], dir);
        const probe2 = await timed(TERRAFORM, ['show', '-json', 'probe.tfplan'], dir);
        push({ case: 'probe: terraform plan -refresh=false + show -json', resources, layout, ms: probe1.ms + probe2.ms, cpuMs: Number.NaN, samples: 1, rssMB: Math.max(probe1.rssMB, probe2.rssMB), note: 'once; terraform RSS' });
        const full = await timed(TERRAFORM, ['plan', '-input=false', '-lock=false'], dir);
        push({ case: 'terraform plan (full)', resources, layout, ms: full.ms, cpuMs: Number.NaN, samples: 1, rssMB: full.rssMB, note: 'once; terraform RSS' });
        // velocity's path for this edit: load the state, detect, then the targeted plan (the narrowed module instance).
        t = performance.now();
        const loaded = await loadState(join(dir, 'terraform.tfstate'));
        const det = await detector.detect({ workingDir: dir, state: loaded, env: {} });
        const ownMs = performance.now() - t;
        if (det.fallback) throw new Error(det.fallback.reason);
        const targeted = await timed(TERRAFORM, ['plan', '-input=false', '-lock=false', `-target=module.customer["${EDITED}"]`], dir);
        push({ case: 'velocity path: load state + detect + terraform plan -target', resources, layout, ms: ownMs + targeted.ms, cpuMs: Number.NaN, samples: 1, rssMB: Math.max(rss(), targeted.rssMB), note: `state+detect ${Math.round(ownMs)} ms, targeted plan ${Math.round(targeted.ms)} ms` });
        // The real thing, end to end through the CLI (needs `npm run build`): state, detection, scope, targeted plan.
        if (existsSync(join(import.meta.dirname, '..', 'dist', 'cli', 'main.js'))) {
          edit(dir, layout, 1001);
          const cli = await timed(process.execPath, [VELOCITY_BIN, 'plan', '-input=false', '-lock=false', '-no-color'], dir);
          push({ case: 'velocity plan (CLI, configuration detection)', resources, layout, ms: cli.ms, cpuMs: Number.NaN, samples: 1, rssMB: cli.rssMB, note: 'once; largest process RSS' });
        }
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

// Ratios against the baselines measured in this same run.
const probe = rows.find((r) => r.case.startsWith('probe'));
const full = rows.find((r) => r.case === 'terraform plan (full)');
const table = rows.map((r) => {
  const base = r.case.startsWith('detect') && r.resources === probe?.resources && r.layout === probe.layout ? probe : r.case.startsWith('velocity') ? full : undefined;
  return {
    case: r.case,
    layout: r.layout,
    resources: r.resources,
    'config KB': r.configBytes === undefined ? '' : Math.round(r.configBytes / 1000),
    'ms (wall)': Math.round(r.ms),
    'ms (cpu, this process)': Number.isNaN(r.cpuMs) ? '' : Math.round(r.cpuMs),
    'peak RSS MB': r.rssMB,
    'vs baseline': base === undefined || base === r ? '' : `${(base.ms / r.ms).toFixed(1)}x faster than ${base === probe ? 'probe' : 'full plan'}`,
    note: r.note,
  };
});
console.table(table);
const out = join(import.meta.dirname, 'results', `detect-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(out, `${JSON.stringify({ node: process.version, cpus: (await import('node:os')).cpus().length, loadavg: (await import('node:os')).loadavg(), rows, table }, null, 2)}\n`);
console.log(`written ${out}`);
