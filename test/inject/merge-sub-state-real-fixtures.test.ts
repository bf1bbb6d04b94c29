// On every real v4 state of the shared fixtures: merging a sub-state that owns nothing rewrites only the serial
// (every other byte as it was), and replacing the first entry changes that entry only.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { mergeSubState } from '../../src/inject/merge-sub-state.js';
import { readStateHead } from '../../src/state/read-state-head.js';
import { describeWithFixtures, fixturePath } from '../support/fixtures.js';
import { realStatesDir } from '../support/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'velocity-merge-fixtures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Doc = { serial: number; resources?: { module?: string; mode: 'managed' | 'data'; type: string; name: string }[]; outputs?: Record<string, unknown> };

/** The fixtures that are v4 states both readStateHead and JSON.parse accept. */
function v4States(): string[] {
  return readdirSync(realStatesDir).sort().filter((name) => {
    try {
      readStateHead({ path: fixturePath(name) });
      const doc = JSON.parse(readFileSync(fixturePath(name), 'utf8')) as Doc;
      return Array.isArray(doc.resources);
    } catch {
      return false;
    }
  });
}

const withoutSerial = (text: string): string => text.replace(/"serial"\s*:\s*\d+/, '"serial"');

describeWithFixtures('mergeSubState on the real fixture states', () => {
  const names = v4States();
  it('finds v4 fixture states', () => expect(names.length).toBeGreaterThan(5));

  it.each(names)('rewrites only the serial of %s when nothing is owned', async (name) => {
    const sub = join(dir, 'empty-sub.tfstate');
    writeFileSync(sub, '{"version": 4, "terraform_version": "1.11.4", "serial": 1, "lineage": "x", "outputs": {}, "resources": []}');
    const out = join(dir, 'out.tfstate');
    const real = readFileSync(fixturePath(name), 'utf8');
    const serial = (JSON.parse(real) as Doc).serial + 1;
    await mergeSubState({ real: { path: fixturePath(name) }, sub, owned: { resources: [], outputs: [] }, serial, out });
    const merged = readFileSync(out, 'utf8');
    expect(JSON.parse(merged)).toEqual({ ...(JSON.parse(real) as Doc), serial });
    expect(withoutSerial(merged)).toBe(withoutSerial(real));
  });

  it.each(names)('replaces only the first entry of %s', async (name) => {
    const doc = JSON.parse(readFileSync(fixturePath(name), 'utf8')) as Doc & { resources: NonNullable<Doc['resources']> };
    const first = doc.resources[0];
    if (first === undefined) return;
    const key = { module: first.module ?? '', mode: first.mode, type: first.type, name: first.name };
    const replacement = { ...first, instances: [] };
    const sub = join(dir, 'sub.tfstate');
    writeFileSync(sub, JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'x', outputs: {}, resources: [replacement] }, null, 2));
    const out = join(dir, 'out.tfstate');
    await mergeSubState({ real: { path: fixturePath(name) }, sub, owned: { resources: [key], outputs: [] }, serial: doc.serial + 1, out });
    const merged = JSON.parse(readFileSync(out, 'utf8')) as Doc;
    const same = (r: { module?: string; mode: string; type: string; name: string }): boolean => (r.module ?? '') === key.module && r.mode === key.mode && r.type === key.type && r.name === key.name;
    expect(merged).toEqual({ ...doc, serial: doc.serial + 1, resources: [replacement, ...doc.resources.filter((r) => !same(r))] });
  });
});
