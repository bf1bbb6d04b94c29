// Quick measurement of mergeSubState on a large real state (issue 12: a 1 GB state must merge): the wall time and
// the peak RSS of a fresh process merging a one-entry sub-state (one entry replaced, one added) into STATE.
//
//   node --import tsx bench/merge-sub-state.ts STATE [CHUNK_BYTES]
//   (e.g. after `node bin/velocity.js synth --resources 100000 --shape customers --seed 7 --out DIR`: STATE=DIR/terraform.tfstate)

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeSubState } from '../src/inject/merge-sub-state.js';

const [state, chunkArg, role, subPath, outPath] = process.argv.slice(2);
if (!state) throw new Error('usage: bench/merge-sub-state.ts STATE [CHUNK_BYTES]');

if (role === 'child') {
  const key = JSON.parse(readFileSync(`${subPath}.key`, 'utf8')) as { module: string; mode: 'managed' | 'data'; type: string; name: string };
  const t0 = performance.now();
  const summary = await mergeSubState({ real: { path: state }, sub: subPath as string, owned: { resources: [key], outputs: [] }, serial: 1_000_000, out: outPath as string, ...(chunkArg ? { chunkSize: Number(chunkArg) } : {}) });
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, summary }));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'velocity-bench-merge-'));
  try {
    // NOTE: the sub-state is prepared by parsing the state here, in another process than the measured one.
    const doc = JSON.parse(readFileSync(state, 'utf8')) as { resources: Record<string, unknown>[] };
    const middle = doc.resources[Math.floor(doc.resources.length / 2)] as { module?: string; mode: string; type: string; name: string; instances: unknown[] };
    const key = { module: middle.module ?? '', mode: middle.mode, type: middle.type, name: middle.name };
    const added = { ...middle, name: `${middle.name}_velocity_bench` };
    const sub = join(dir, 'sub.tfstate');
    writeFileSync(sub, JSON.stringify({ ...doc, serial: 2, outputs: {}, resources: [middle, added] }, null, 2));
    writeFileSync(`${sub}.key`, JSON.stringify(key));
    const out = join(dir, 'out.tfstate');
    const r = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, state, chunkArg ?? '', 'child', sub, out], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(r.stderr);
    const result = JSON.parse(r.stdout) as { ms: number; maxRssMb: number };
    const mb = statSync(state).size / 1e6;
    process.stdout.write(`${state}: ${mb.toFixed(1)} MB, ${doc.resources.length} entries: merged in ${(result.ms / 1000).toFixed(2)} s (${(mb / (result.ms / 1000)).toFixed(0)} MB/s), peak RSS ${result.maxRssMb.toFixed(0)} MB; output ${(statSync(out).size / 1e6).toFixed(1)} MB\n${r.stdout}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
