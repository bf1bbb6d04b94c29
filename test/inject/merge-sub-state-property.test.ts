// Property: for random real states (any layout: Terraform's, CRLF, tabs, one line), sub-states and ownerships, the
// merged state parses to the naive JSON-level merge, and every entry and output it does not own is a byte-identical
// substring of the merged file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeSubState } from '../../src/inject/merge-sub-state.js';
import { idOf, keyOf, layOut, mergeCase, naiveMerge, terraformText } from '../support/merge-states.js';

const dir = mkdtempSync(join(tmpdir(), 'velocity-merge-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mergeSubState on random states', () => {
  it('equals the naive merge and copies untouched entries and outputs byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(mergeCase, async ({ real, sub, owned, layout }) => {
        const laid = layOut(real, layout);
        writeFileSync(join(dir, 'real.tfstate'), laid.text);
        writeFileSync(join(dir, 'sub.tfstate'), terraformText(sub));
        const serial = real.serial + 1;
        await mergeSubState({ real: { path: join(dir, 'real.tfstate') }, sub: join(dir, 'sub.tfstate'), owned, serial, out: join(dir, 'out.tfstate') });
        const merged = readFileSync(join(dir, 'out.tfstate'), 'utf8');
        expect(JSON.parse(merged)).toEqual(naiveMerge(real, sub, owned, serial));
        const replaced = new Set([...owned.resources.map(idOf), ...sub.resources.map((e) => idOf(keyOf(e)))]);
        real.resources.forEach((e, n) => {
          if (!replaced.has(idOf(keyOf(e)))) expect(merged).toContain(laid.entries[n]);
        });
        const ownedOutputs = new Set([...owned.outputs, ...Object.keys(sub.outputs)]);
        Object.keys(real.outputs).sort().forEach((name, n) => {
          if (!ownedOutputs.has(name)) expect(merged).toContain(laid.outputs[n]);
        });
      }),
      { numRuns: 200 },
    );
  });
});
