// Throughput of the streaming state scanner: wasm kernel vs js kernel vs the JSON.parse reader (baseline,
// same run, same file), in MB/s with peak RSS. Each case runs in its own child process so RSS is its own.
// Usage: node --import tsx bench/scan-throughput.ts [resources=60000] [iterations=3]   (60000 ≈ 83 MB, 1000000 ≈ 1.4 GB)
// Writes bench/results/scan-throughput.json.

import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { loadState } from '../src/state/load-state.js';
import { parseState } from '../src/state/parse-state.js';
import { syntheticStateChunks } from '../test/support/synthetic-state-chunks.js';

type CaseName = 'json-parse' | 'scan-wasm' | 'scan-js';
const CASES: CaseName[] = ['json-parse', 'scan-wasm', 'scan-js'];

interface CaseResult {
  name: CaseName;
  /** Set when the case cannot run at this size (JSON.parse past Node's string limit). */
  skipped?: string;
  meanMs: number;
  minMs: number;
  mbPerSec: number;
  peakRssMb: number;
  instances: number;
}

async function runOne(name: CaseName, file: string, iterations: number): Promise<CaseResult> {
  if (name === 'json-parse' && statSync(file).size > 500e6) {
    // NOTE: past ~512 MB Node cannot hold the document as one string: the baseline cannot run at all.
    return { name, skipped: 'cannot run: the document exceeds the ~512 MB string limit', meanMs: 0, minMs: 0, mbPerSec: 0, peakRssMb: 0, instances: 0 };
  }
  let instances = 0;
  const task = async (): Promise<void> => {
    const state = name === 'json-parse' ? parseState(await readFile(file), file) : await loadState(file, { kernel: name === 'scan-wasm' ? 'wasm' : 'js' });
    instances = state.instances.length;
  };
  // One warmup run so JIT and wasm compilation are not timed (they dominate small states).
  const bench = new Bench({ iterations, time: 0, warmup: true, warmupIterations: 1, warmupTime: 0, throws: true });
  bench.add(name, task);
  await bench.run();
  const r = bench.tasks[0]!.result as unknown as { latency: { mean: number; min: number } };
  const bytes = statSync(file).size;
  return {
    name,
    meanMs: r.latency.mean,
    minMs: r.latency.min,
    mbPerSec: bytes / 1e6 / (r.latency.mean / 1000),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    instances,
  };
}

async function main(): Promise<void> {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === '--case') {
    const [name, file, iterations] = rest;
    process.stdout.write(JSON.stringify(await runOne(name as CaseName, file!, Number(iterations))));
    return;
  }
  const resources = Number(mode ?? 60000);
  const iterations = Number(rest[0] ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'velocity-scan-bench-'));
  try {
    const file = join(dir, 'state.tfstate');
    const out = createWriteStream(file);
    for (const chunk of syntheticStateChunks(resources)) if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
    const bytes = statSync(file).size;
    const self = fileURLToPath(import.meta.url);
    const results: CaseResult[] = CASES.map((name) =>
      JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', self, '--case', name, file, String(iterations)], { encoding: 'utf8', maxBuffer: 1 << 20 })) as CaseResult,
    );
    const base = results.find((r) => r.name === 'json-parse')!;
    console.log(`state: ${resources} resources, ${(bytes / 1e6).toFixed(1)} MB, ${iterations} iterations per case`);
    console.table(
      results.map((r) =>
        r.skipped !== undefined
          ? { case: r.name, 'mean ms': r.skipped }
          : {
              case: r.name,
              'mean ms': r.meanMs.toFixed(0),
              'MB/s': r.mbPerSec.toFixed(0),
              'vs JSON.parse': base.skipped !== undefined ? 'n/a' : `${(base.meanMs / r.meanMs).toFixed(2)}x`,
              'peak RSS MB': r.peakRssMb.toFixed(0),
              instances: r.instances,
            },
      ),
    );
    const target = join(dirname(self), 'results', 'scan-throughput.json');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, `${JSON.stringify({ resources, bytes, iterations, node: process.version, results }, null, 2)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
