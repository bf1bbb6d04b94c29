// The hashing worker reader: the chunks it yields are the file's bytes in order, its digest is their SHA-256, a file
// that cannot be read is a SourceReadError, and a cold load through it caches exactly like the inline path.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { hashedFileChunks } from '../../src/graph/hashed-file-chunks.js';
import { loadStateGraph } from '../../src/graph/load-state-graph.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { loadState } from '../../src/state/load-state.js';
import { expectSameGraph, mixedStateText } from './snapshot-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'velocity-hashworker-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function drain(path: string): Promise<{ bytes: Buffer; sha256: string; reported: number }> {
  let reported = 0;
  const h = hashedFileChunks(path, (n) => (reported += n));
  const parts: Uint8Array[] = [];
  for await (const c of h.chunks) parts.push(c);
  return { bytes: Buffer.concat(parts), sha256: h.sha256(), reported };
}

describe('hashedFileChunks', () => {
  it('yields the file bytes in order with their SHA-256 (sizes around the 4 MiB chunk)', async () => {
    let k = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(0, 1, 4095, (4 << 20) - 1, 4 << 20, (4 << 20) + 1, 9 << 20), fc.integer({ min: 0, max: 255 }), async (size, seed) => {
        const path = join(root, `f-${k++}`);
        const data = Buffer.alloc(size);
        for (let i = 0; i < size; i++) data[i] = (i * 31 + seed) & 0xff;
        writeFileSync(path, data);
        const got = await drain(path);
        expect(got.bytes.equals(data)).toBe(true);
        expect(got.reported).toBe(size);
        expect(got.sha256).toBe(createHash('sha256').update(data).digest('hex'));
      }),
      { numRuns: 8 },
    );
  });

  it('turns an unreadable path into SOURCE_UNREADABLE', async () => {
    await expect(drain(join(root, 'missing'))).rejects.toMatchObject({ code: 'SOURCE_UNREADABLE' });
    const dir = join(root, 'a-dir');
    mkdirSync(dir);
    await expect(drain(dir)).rejects.toMatchObject({ code: 'SOURCE_UNREADABLE' });
  });

  it('has no digest for an abandoned read', async () => {
    const path = join(root, 'big');
    writeFileSync(path, Buffer.alloc(20 << 20, 7));
    const h = hashedFileChunks(path);
    for await (const c of h.chunks) {
      expect(c.length).toBeGreaterThan(0);
      break;
    }
    expect(() => h.sha256()).toThrow();
    // close() on a read that was left at a chunk (not via break) stops the worker; on an unstarted one it is a no-op.
    const left = hashedFileChunks(path);
    const it = left.chunks[Symbol.asyncIterator]();
    expect((await it.next()).done).toBe(false);
    await left.close();
    expect((await it.next()).done).toBe(true);
    await hashedFileChunks(path).close();
  });

  it('feeds a cold load that writes a snapshot the next load hits', async () => {
    const dir = join(root, 'load');
    mkdirSync(dir);
    const statePath = join(dir, 'terraform.tfstate');
    const text = mixedStateText();
    writeFileSync(statePath, text);
    const cacheDir = join(dir, 'cache');
    const expected = StateGraph.fromState(await loadState(Buffer.from(text)));
    const first = await loadStateGraph(statePath, { cacheDir, workerHashFromBytes: 0 });
    expect(first).toMatchObject({ from: 'state', stateSha256: createHash('sha256').update(text).digest('hex') });
    expect(first.snapshotProblem).toBeUndefined();
    expectSameGraph(expected, first.graph);
    const second = await loadStateGraph(statePath, { cacheDir, workerHashFromBytes: 0 });
    expect(second).toMatchObject({ from: 'snapshot', check: 'stat', stateSha256: first.stateSha256 });
    expectSameGraph(expected, second.graph);
  });
});
