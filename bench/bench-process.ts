// What the end-to-end benchmarks (bench/inject.ts, bench/apply.ts) share: finding terraform, running one command as
// its own process tree with wall time and the tree's peak RSS, setup steps that must succeed, medians, formatting.
// Guarantees: a measured command never blocks the event loop (the RSS sampler keeps running); a failed setup throws.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { startTreeRssSampler, type TreeRss } from './tree-rss.js';

/** Median of a non-empty list (mean of the two middle values for an even length). O(n log n). */
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** $BENCH_TERRAFORM, else the first terraform on PATH; throws when there is none. O(PATH entries). */
export function findTerraform(): string {
  const explicit = process.env['BENCH_TERRAFORM'];
  if (explicit) return resolve(explicit);
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const p = join(dir, 'terraform');
    if (dir && existsSync(p)) return p;
  }
  throw new Error('terraform not found on PATH (set BENCH_TERRAFORM)');
}

export interface Spawned {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  rss: TreeRss;
}

/**
 * One command in its own process tree: wall time and the tree's peak RSS (sampled every `rssIntervalMs`, default
 * 20 ms; many concurrent commands want a longer one). The event loop stays free meanwhile. Killed (SIGKILL) after
 * `timeoutMs`. Resolves on exit, whatever the code; rejects only when the command cannot start. O(output).
 */
export function runMeasured(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 30 * 60_000, rssIntervalMs = 20): Promise<Spawned> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(argv[0] as string, argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const sampler = startTreeRssSampler(child.pid as number, rssIntervalMs);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      sampler.stop();
      fail(e);
    });
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      clearTimeout(timer);
      done({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), wallMs, rss: sampler.stop() });
    });
  });
}

/** Runs a setup step (synth, init) and returns its stdout; throws with its output when it fails. Blocks. */
export function setupStep(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv): string {
  const r = spawnSync(argv[0] as string, argv.slice(1), { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** The last lines of a failed command's stderr (else stdout), on one line, for a failure message. O(output). */
export const tailOf = (r: Pick<Spawned, 'stdout' | 'stderr'>, lines = 3): string =>
  (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-lines).join(' / ');

/** The customers shape's key of customer `c` among `customers` (src/synth/customers-shape.ts). O(1). */
export const customerKey = (c: number, customers: number): string => `c${String(c).padStart(Math.max(5, String(customers - 1).length), '0')}`;

/** The 1-minute load average now. O(1). */
export const load1 = (): number => loadavg()[0] as number;

export const fmtS = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(2)} s`);
export const fmtMB = (kib: number): string => (kib >= 1024 * 1024 ? `${(kib / 1024 / 1024).toFixed(2)} GiB` : `${(kib / 1024).toFixed(0)} MiB`);
export const fmtX = (x: number): string => (x >= 10 ? `${x.toFixed(0)}x` : `${x.toFixed(1)}x`);
