// Quick measurement of mergeSubState on a large real state (issue 12: a 1 GB state must merge): the wall time and
// the peak RSS of a fresh process merging a two-entry sub-state (one entry from the middle of STATE replaced, one
// added) into STATE, which is never parsed as a whole (it may be over Node's string limit).
//
//   node --import tsx bench/merge-sub-state.ts STATE [CHUNK_BYTES]
//   (e.g. after `node bin/velocity.js synth --resources 100000 --shape customers --seed 7 --out DIR`: STATE=DIR/terraform.tfstate)

import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
    // NOTE: the state is not parsed (a 1 GB state is over Node's string limit): the owned entry's header is found in
    // a window of bytes from the middle of the file, and the sub-state replaces it by an entry with no instances.
    const size = statSync(state).size;
    const fd = openSync(state, 'r');
    const window = Buffer.alloc(Math.min(size, 8 << 20));
    readSync(fd, window, 0, window.length, Math.max(0, Math.floor(size / 2) - window.length / 2));
    closeSync(fd);
    const m = /\n {4}\{\n(?: {6}"module": ("(?:[^"\\]|\\.)*"),\n)? {6}"mode": "(managed|data)",\n {6}"type": ("[^"]*"),\n {6}"name": ("[^"]*"),\n/.exec(window.toString('utf8'));
    if (!m) throw new Error('no resources[] entry header in the middle of the state (not Terraform\'s layout?)');
    const key = { module: m[1] ? (JSON.parse(m[1]) as string) : '', mode: m[2] as 'managed' | 'data', type: JSON.parse(m[3] as string) as string, name: JSON.parse(m[4] as string) as string };
    const provider = 'provider["terraform.io/builtin/terraform"]';
    const replaced = { ...(key.module ? { module: key.module } : {}), mode: key.mode, type: key.type, name: key.name, provider, instances: [] };
    const added = { ...replaced, name: `${key.name}_velocity_bench` };
    const sub = join(dir, 'sub.tfstate');
    writeFileSync(sub, JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 2, lineage: 'bench', outputs: {}, resources: [replaced, added], check_results: null }, null, 2));
    writeFileSync(`${sub}.key`, JSON.stringify(key));
    const out = join(dir, 'out.tfstate');
    const r = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, state, chunkArg ?? '', 'child', sub, out], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(r.stderr);
    const result = JSON.parse(r.stdout) as { ms: number; maxRssMb: number };
    const mb = size / 1e6;
    process.stdout.write(`${state}: ${mb.toFixed(1)} MB: merged in ${(result.ms / 1000).toFixed(2)} s (${(mb / (result.ms / 1000)).toFixed(0)} MB/s), peak RSS ${result.maxRssMb.toFixed(0)} MB; output ${(statSync(out).size / 1e6).toFixed(1)} MB\n${r.stdout}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
