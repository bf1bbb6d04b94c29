// A resources[] entry owned only for some instance keys (a for_each the sub-workspace filtered by key): its unowned
// instances stay byte for byte, the owned ones come from the sub-state (or go), the sub-state's new keys are added,
// in Terraform's order; an instance the sub-state holds under an unowned key of the real entry is a conflict.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeSubState } from '../../src/inject/merge-sub-state.js';
import { entry, stateDoc, terraformText, type Entry } from '../support/merge-states.js';

const dir = mkdtempSync(join(tmpdir(), 'velocity-merge-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An entry of string-keyed instances, each attribute `id` = `<tag>-<key>`. */
function keyed(keys: readonly string[], tag: string): Entry {
  const e = entry('device', keys.map((k) => `${tag}-${k}`), { module: 'module.customer["c1"]' });
  return { ...e, instances: e.instances.map((inst, n) => ({ index_key: keys[n], ...inst })) };
}
const other = entry('site', ['site-1'], { module: 'module.customer["c1"]' });
const owned = (keys: readonly string[]) => ({ resources: [{ module: 'module.customer["c1"]', mode: 'managed' as const, type: 'terraform_data', name: 'device', keys }], outputs: [] });

async function merge(real: Entry, sub: Entry | undefined, keys: readonly string[]): Promise<string> {
  writeFileSync(join(dir, 'real.tfstate'), terraformText(stateDoc([real, other], {}, { serial: 4 })));
  writeFileSync(join(dir, 'sub.tfstate'), terraformText(stateDoc(sub ? [sub] : [], {}, { serial: 6 })));
  await mergeSubState({ real: { path: join(dir, 'real.tfstate') }, sub: join(dir, 'sub.tfstate'), owned: owned(keys), serial: 5, out: join(dir, 'out.tfstate') });
  return readFileSync(join(dir, 'out.tfstate'), 'utf8');
}

describe('mergeSubState with an entry owned for some keys', () => {
  it('keeps the unowned instances byte for byte and takes the owned ones from the sub-state', async () => {
    const key = fc.stringMatching(/^[a-z0-9"\\é]{1,4}$/);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(key, { minLength: 1, maxLength: 8 }), fc.uniqueArray(key, { maxLength: 3 }), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), async (realKeys, fresh, isOwned, inSub) => {
        const sortedReal = [...realKeys].sort();
        const ownedKeys = sortedReal.filter((_, n) => isOwned[n]);
        const newKeys = fresh.filter((k) => !realKeys.includes(k));
        const subKeys = [...ownedKeys.filter((_, n) => inSub[n]), ...newKeys].sort();
        const real = keyed(sortedReal, 'old');
        const text = await merge(real, subKeys.length > 0 ? keyed(subKeys, 'new') : undefined, [...ownedKeys, ...newKeys]);
        const doc = JSON.parse(text) as { serial: number; resources: Entry[] };
        expect(doc.serial).toBe(5);
        const expected = [...sortedReal.filter((k) => !ownedKeys.includes(k)).map((k) => [k, `old-${k}`]), ...subKeys.map((k) => [k, `new-${k}`])].sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
        const device = doc.resources.find((e) => e.name === 'device');
        if (expected.length === 0) expect(device).toBeUndefined();
        else expect(device?.instances.map((i) => [i.index_key, (i.attributes as Record<string, unknown>)['id']])).toEqual(expected);
        expect(doc.resources.find((e) => e.name === 'site')).toEqual(other);
        // Unowned instances are copied as they were written.
        const realText = terraformText(stateDoc([real, other], {}, { serial: 4 }));
        for (const inst of real.instances.filter((i) => !ownedKeys.includes(i.index_key as string))) {
          const raw = JSON.stringify(inst, null, 2).split('\n').join('\n        ');
          expect(realText).toContain(raw);
          expect(text).toContain(raw);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a sub-state instance under a key the real entry has but the sub-workspace does not own', async () => {
    await expect(merge(keyed(['a', 'b'], 'old'), keyed(['a', 'b'], 'new'), ['a'])).rejects.toMatchObject({ code: 'MERGE_CONFLICT' });
  });

  it('removes the entry when its last instances were owned and are gone', async () => {
    const doc = JSON.parse(await merge(keyed(['a', 'b'], 'old'), undefined, ['a', 'b'])) as { resources: Entry[] };
    expect(doc.resources.map((e) => e.name)).toEqual(['site']);
  });
});
