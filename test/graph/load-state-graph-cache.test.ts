// The snapshot cache: a second load of an unchanged state comes from the snapshot (by stat, or by hash after a
// touch); a changed state is re-read; a corrupt snapshot is ignored, the answer comes from the state, and the
// snapshot is rewritten. Every graph equals the one built straight from the state.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStateGraph } from '../../src/graph/load-state-graph.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { loadState } from '../../src/state/load-state.js';
import { cyclicStateText, expectSameGraph, mixedStateText } from './snapshot-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'velocity-snapcache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A fresh directory with a state path and a cache dir inside it. */
function setup(text = mixedStateText()) {
  const dir = join(root, `case-${n++}`);
  mkdirSync(dir, { recursive: true });
  const statePath = join(dir, 'terraform.tfstate');
  return { dir, cacheDir: join(dir, 'cache'), statePath, text, write: (t: string) => writeFileSync(statePath, t) };
}

describe('loadStateGraph snapshot cache', () => {
  it('hits on the second load (stat), and after a touch (hash)', async () => {
    const c = setup();
    c.write(c.text);
    // Expectations come from loadState (the same reader as the cold path: spans included when it streams).
    const expected = StateGraph.fromState(await loadState(Buffer.from(c.text)));
    const first = await loadStateGraph(c.statePath, { cacheDir: c.cacheDir });
    expect(first.from).toBe('state');
    expectSameGraph(expected, first.graph);
    const second = await loadStateGraph(c.statePath, { cacheDir: c.cacheDir });
    expect(second).toMatchObject({ from: 'snapshot', check: 'stat', stateSha256: first.stateSha256 });
    expectSameGraph(expected, second.graph);
    const later = new Date(Date.now() + 60_000);
    utimesSync(c.statePath, later, later);
    const third = await loadStateGraph(c.statePath, { cacheDir: c.cacheDir });
    expect(third).toMatchObject({ from: 'snapshot', check: 'hash' });
    expectSameGraph(expected, third.graph);
    expect((await loadStateGraph(c.statePath, { cacheDir: c.cacheDir })).check).toBe('stat');
  });

  it('misses when the state changes, at the same size (hash check) or another size', async () => {
    const c = setup();
    c.write(mixedStateText(3));
    const stamp = new Date('2026-01-01T00:00:00Z');
    utimesSync(c.statePath, stamp, stamp);
    await loadStateGraph(c.statePath, { cacheDir: c.cacheDir });
    const changed = mixedStateText(4); // same length, another serial
    expect(changed.length).toBe(mixedStateText(3).length);
    c.write(changed);
    utimesSync(c.statePath, new Date('2026-01-02T00:00:00Z'), new Date('2026-01-02T00:00:00Z'));
    const r = await loadStateGraph(c.statePath, { cacheDir: c.cacheDir });
    expect(r.from).toBe('state');
    expect(r.graph.meta.serial).toBe(4);
    expectSameGraph(StateGraph.fromState(await loadState(Buffer.from(changed))), r.graph);
    const bigger = mixedStateText(123456);
    c.write(bigger);
    const r2 = await loadStateGraph(c.statePath, { cacheDir: c.cacheDir });
    expect(r2.from).toBe('state');
    expect(r2.graph.meta.serial).toBe(123456);
  });

  it('ignores a corrupt snapshot, answers from the state and rewrites it', async () => {
    const c = setup();
    c.write(c.text);
    const first = await loadStateGraph(c.statePath, { cacheDir: c.cacheDir });
    const snapDir = join(c.cacheDir, 'snapshots');
    const [file] = readdirSync(snapDir);
    const snap = join(snapDir, file as string);
    const bytes = readFileSync(snap);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] as number) ^ 0xff;
    writeFileSync(snap, bytes);
    const r = await loadStateGraph(c.statePath, { cacheDir: c.cacheDir });
    expect(r.from).toBe('state');
    expect(r.snapshotProblem).toMatch(/checksum/);
    expectSameGraph(first.graph, r.graph);
    expect((await loadStateGraph(c.statePath, { cacheDir: c.cacheDir })).from).toBe('snapshot');
    writeFileSync(snap, 'garbage');
    expect((await loadStateGraph(c.statePath, { cacheDir: c.cacheDir })).from).toBe('state');
  });

  it('uses $VELOCITY_CACHE_DIR and can be turned off', async () => {
    const c = setup();
    c.write(c.text);
    const envDir = join(c.dir, 'env-cache');
    await loadStateGraph(c.statePath, { env: { VELOCITY_CACHE_DIR: envDir } });
    expect(readdirSync(join(envDir, 'snapshots'))).toHaveLength(1);
    const off = await loadStateGraph(c.statePath, { cache: false, cacheDir: join(c.dir, 'unused') });
    expect(off.from).toBe('state');
    expect(() => readdirSync(join(c.dir, 'unused'))).toThrow();
  });
});

describe('loadStateGraph sources', () => {
  it('reports a missing file or a directory as SOURCE_UNREADABLE', async () => {
    const c = setup();
    await expect(loadStateGraph(join(c.dir, 'missing.tfstate'), { cacheDir: c.cacheDir })).rejects.toMatchObject({ code: 'SOURCE_UNREADABLE' });
    await expect(loadStateGraph(c.dir, { cacheDir: c.cacheDir })).rejects.toMatchObject({ code: 'SOURCE_UNREADABLE' });
  });

  it('reports progress up to the file size on a cold load only', async () => {
    const c = setup();
    c.write(c.text);
    const seen: number[] = [];
    await loadStateGraph(c.statePath, { cacheDir: c.cacheDir, onProgress: (n, total) => seen.push(n, total) });
    expect(seen.slice(-2)).toEqual([Buffer.byteLength(c.text), Buffer.byteLength(c.text)]);
    seen.length = 0;
    await loadStateGraph(c.statePath, { cacheDir: c.cacheDir, onProgress: (n) => seen.push(n) });
    expect(seen).toEqual([]);
  });
});

describe('loadStateGraph cycles', () => {
  it('refuses a cyclic state on the cold load and on a snapshot hit alike; allowCycles reports them', async () => {
    const c = setup(cyclicStateText());
    c.write(c.text);
    await expect(loadStateGraph(c.statePath, { cacheDir: c.cacheDir })).rejects.toMatchObject({ code: 'GRAPH_CYCLE' });
    await expect(loadStateGraph(c.statePath, { cacheDir: c.cacheDir })).rejects.toMatchObject({ code: 'GRAPH_CYCLE' });
    const allowed = await loadStateGraph(c.statePath, { cacheDir: c.cacheDir, allowCycles: true });
    expect(allowed.from).toBe('snapshot');
    expect(allowed.graph.cycles).toEqual([['terraform_data.a', 'terraform_data.b', 'terraform_data.a']]);
  });
});
