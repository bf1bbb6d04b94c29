// An entry owned for some instance keys, in every real-state layout (Terraform's, CRLF, tabs, one line) and read in
// chunks of 1..7 bytes: the same bytes as a 1 MiB read, valid JSON holding the unowned instances and the sub-state's.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeSubState } from '../../src/inject/merge-sub-state.js';
import { entry, layOut, stateDoc, terraformText, type Entry, type Layout } from '../support/merge-states.js';

const dir = mkdtempSync(join(tmpdir(), 'velocity-merge-partial-layouts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MODULE = 'module.c["{\\"x\\"}"]';

function keyed(keys: readonly string[], tag: string): Entry {
  const e = entry('device', keys.map((k) => `${tag}-${k}`), { module: MODULE });
  return { ...e, instances: e.instances.map((inst, n) => ({ index_key: keys[n], ...inst })) };
}

describe('mergeSubState partial ownership in any layout and chunking', () => {
  it('gives the same valid merge whatever the layout chunking', async () => {
    const key = fc.stringMatching(/^[a-z"\\{}é\r\n]{1,3}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(key, { minLength: 1, maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        fc.constantFrom<Layout>('terraform', 'crlf', 'tabs', 'compact'),
        fc.integer({ min: 1, max: 7 }),
        async (keys, isOwned, layout, chunkSize) => {
          const sorted = [...keys].sort();
          const owned = sorted.filter((_, n) => isOwned[n]);
          const real = stateDoc([entry('before', ['b'], { module: MODULE }), keyed(sorted, 'old'), entry('site', ['s'], { module: MODULE })], {}, { serial: 3 });
          writeFileSync(join(dir, 'real.tfstate'), layOut(real, layout).text);
          writeFileSync(join(dir, 'sub.tfstate'), terraformText(stateDoc(owned.length > 0 ? [keyed(owned, 'new')] : [], {}, { serial: 5 })));
          const run = async (size: number): Promise<string> => {
            await mergeSubState({
              real: { path: join(dir, 'real.tfstate') }, sub: join(dir, 'sub.tfstate'), serial: 4, out: join(dir, 'out.tfstate'), chunkSize: size,
              owned: { resources: [{ module: MODULE, mode: 'managed', type: 'terraform_data', name: 'device', keys: owned }], outputs: [] },
            });
            return readFileSync(join(dir, 'out.tfstate'), 'utf8');
          };
          const whole = await run(1 << 20);
          expect(await run(chunkSize)).toBe(whole);
          const doc = JSON.parse(whole) as { resources: Entry[] };
          const device = doc.resources.find((e) => e.name === 'device');
          expect(device?.instances.map((i) => [i.index_key, (i.attributes as { id: string }).id])).toEqual(sorted.map((k) => [k, `${owned.includes(k) ? 'new' : 'old'}-${k}`]));
          expect(doc.resources.map((e) => e.name)).toEqual(['before', 'device', 'site']);
        },
      ),
      { numRuns: 150 },
    );
  });
});
