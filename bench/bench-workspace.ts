// Benchmark inputs: a `customers` workspace of N resources, synthesised once into the temp dir and reused while
// its summary file says it matches (same size, seed and synth format).

import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthWorkspace, type SynthSummary } from '../src/synth/synth-workspace.js';

/** Bump when the synthesised bytes change, so stale workspaces are rebuilt. */
const SYNTH_FORMAT = 1;

export interface BenchWorkspace {
  readonly dir: string;
  readonly statePath: string;
  readonly instances: number;
  readonly fileBytes: number;
  /** Synthesised in this run (else reused). */
  readonly created: boolean;
  readonly synthMs: number;
}

export function benchRoot(): string {
  return process.env['VELOCITY_BENCH_DIR'] ?? join(tmpdir(), 'velocity-bench');
}

export async function ensureWorkspace(resources: number, seed = 1): Promise<BenchWorkspace> {
  const dir = join(benchRoot(), `customers-${resources}-seed${seed}`);
  const marker = join(dir, 'synth-summary.json');
  if (existsSync(marker)) {
    const m = JSON.parse(readFileSync(marker, 'utf8')) as { format: number; summary: SynthSummary };
    if (m.format === SYNTH_FORMAT && existsSync(m.summary.statePath) && statSync(m.summary.statePath).size === m.summary.stateBytes) {
      return { dir, statePath: m.summary.statePath, instances: m.summary.instances, fileBytes: m.summary.stateBytes, created: false, synthMs: 0 };
    }
  }
  const t0 = performance.now();
  const summary = await synthWorkspace({ shape: 'customers', resources, seed, outDir: dir });
  const synthMs = performance.now() - t0;
  writeFileSync(marker, JSON.stringify({ format: SYNTH_FORMAT, summary }));
  return { dir, statePath: summary.statePath, instances: summary.instances, fileBytes: summary.stateBytes, created: true, synthMs };
}
