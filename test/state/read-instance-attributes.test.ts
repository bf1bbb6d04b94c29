// Each record's span points at its instance's first object: readInstanceAttributes returns exactly the
// attributes JSON.parse finds there, for every instance of every real fixture state, from a file or from bytes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadState } from '../../src/state/load-state.js';
import { readInstanceAttributes } from '../../src/state/read-instance-attributes.js';
import { scanState } from '../../src/state/scan-state.js';
import { describeWithFixtures } from '../support/fixtures.js';
import { REAL_STATES, realStateFiles } from '../support/state-fixtures.js';

interface RawInstance {
  index_key?: unknown;
  attributes?: unknown;
  attributes_flat?: unknown;
}
interface RawResource {
  instances: RawInstance[];
}

/** The attributes JSON.parse gives for each record's instance, in record order (first object per key). */
function expectedAttributes(bytes: Buffer): unknown[] {
  const doc = JSON.parse(bytes.toString('utf8')) as { resources: RawResource[] };
  const out: unknown[] = [];
  for (const r of doc.resources) {
    const seen = new Set<string>();
    for (const inst of r.instances) {
      const k = inst.index_key;
      const tag = typeof k === 'string' ? `s${k}` : typeof k === 'number' ? `i${k}` : 'n';
      if (seen.has(tag)) continue;
      seen.add(tag);
      out.push(inst.attributes ?? inst.attributes_flat ?? {});
    }
  }
  return out;
}

describeWithFixtures('readInstanceAttributes by span', () => {
  const readable = realStateFiles().filter((f) => {
    try {
      return (JSON.parse(readFileSync(join(REAL_STATES, f), 'utf8')) as { version?: unknown }).version === 4;
    } catch {
      return false;
    }
  });

  it('covers several states', () => {
    expect(readable.length).toBeGreaterThan(5);
  });

  for (const file of readable) {
    it(`reads every instance of ${file}`, async () => {
      const path = join(REAL_STATES, file);
      const bytes = readFileSync(path);
      const state = await loadState(path);
      const want = expectedAttributes(bytes);
      expect(state.instances.length).toBe(want.length);
      const fromFile = await Promise.all(state.instances.map((r) => readInstanceAttributes(path, r.span!)));
      expect(fromFile).toEqual(want);
      const fromBytes = await scanState(bytes, { kernel: 'js' });
      expect(fromBytes.instances.map((r) => r.span)).toEqual(state.instances.map((r) => r.span));
      expect(await readInstanceAttributes(bytes, fromBytes.instances[0]!.span!)).toEqual(want[0]);
    });
  }

  it('rejects a span that is not an instance object', async () => {
    const path = join(REAL_STATES, readable[0]!);
    await expect(readInstanceAttributes(path, { start: 0, end: 5 })).rejects.toMatchObject({ code: 'STATE_NOT_JSON' });
    await expect(readInstanceAttributes(path, { start: 1e12, end: 1e12 + 10 })).rejects.toMatchObject({ code: 'STATE_TRUNCATED' });
    await expect(readInstanceAttributes(join(REAL_STATES, 'missing'), { start: 0, end: 5 })).rejects.toMatchObject({ code: 'SOURCE_UNREADABLE' });
  });
});
