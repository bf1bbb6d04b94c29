// Chunk boundaries anywhere (inside escapes, member names, the serial, between CR and LF): reading the real state
// 1 to 7 bytes at a time writes exactly the bytes a 1 MiB read writes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeSubState } from '../../src/inject/merge-sub-state.js';
import { layOut, mergeCase, terraformText } from '../support/merge-states.js';

const dir = mkdtempSync(join(tmpdir(), 'velocity-merge-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mergeSubState chunking', () => {
  it('gives the same bytes for chunks of 1..7 bytes as for 1 MiB', async () => {
    await fc.assert(
      fc.asyncProperty(mergeCase, fc.integer({ min: 1, max: 7 }), async ({ real, sub, owned, layout }, chunkSize) => {
        writeFileSync(join(dir, 'real.tfstate'), layOut(real, layout).text);
        writeFileSync(join(dir, 'sub.tfstate'), terraformText(sub));
        const run = async (size: number, out: string): Promise<Buffer> => {
          await mergeSubState({ real: { path: join(dir, 'real.tfstate') }, sub: join(dir, 'sub.tfstate'), owned, serial: 12345, out: join(dir, out), chunkSize: size });
          return readFileSync(join(dir, out));
        };
        const whole = await run(1 << 20, 'whole.tfstate');
        expect((await run(chunkSize, 'small.tfstate')).equals(whole)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
