// An untouched entry is streamed, not held: merging a real state whose one untouched entry is ~60 MB raises the
// merging process's peak RSS by far less than that entry, compared with merging a tiny state.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entry, keyOf, stateDoc, writeStates } from '../support/merge-states.js';

const CHILD = resolve(import.meta.dirname, '../support/merge-sub-state-child.ts');

function peakRss(paths: { real: string; sub: string; out: string }): number {
  const input = { real: { path: paths.real }, sub: paths.sub, owned: { resources: [keyOf(entry('a', []))], outputs: [] }, serial: 9, out: paths.out };
  return Number(execFileSync(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(input)], { encoding: 'utf8' }));
}

describe('mergeSubState memory', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'velocity-merge-memory-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams a 60 MB untouched entry through', () => {
    const sub = stateDoc([entry('a', ['a2'])]);
    const small = writeStates(join(dir), stateDoc([entry('a', ['a1']), entry('big', ['b'])]), sub);
    const baseline = peakRss(small);
    const pad = 'y'.repeat(1000);
    const big = writeStates(dir, stateDoc([entry('a', ['a1']), entry('big', Array.from({ length: 60_000 }, (_, n) => `${n}${pad}`))]), sub);
    const size = statSync(big.real).size;
    expect(size).toBeGreaterThan(60e6);
    const peak = peakRss(big);
    expect(readFileSync(big.out).length).toBe(size);
    expect(peak - baseline).toBeLessThan(size / 4);
  }, 120_000);
});
