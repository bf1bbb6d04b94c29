// loadState reads a path (streamed), '-' (the given stdin stream) and bytes to the same LoadedState as
// parseState; a missing or unreadable path is SOURCE_UNREADABLE, never a raw ENOENT.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadState } from '../../src/state/load-state.js';
import { parseState } from '../../src/state/parse-state.js';
import { describeWithFixtures } from '../support/fixtures.js';
import { REAL_STATES, outcome } from '../support/state-fixtures.js';
import { demoDir } from '../support/paths.js';

const scratch = mkdtempSync(join(tmpdir(), 'velocity-load-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('loadState sources', () => {
  it('path, stdin and bytes agree on the demo state', async () => {
    const path = join(demoDir, 'terraform.tfstate');
    const demo = readFileSync(path);
    const fromPath = await loadState(path);
    const fromStdin = await loadState('-', { stdin: Readable.from([demo.subarray(0, 100), demo.subarray(100)]) });
    const fromBytes = await loadState(demo);
    expect(fromStdin).toEqual(fromPath);
    expect(fromBytes).toEqual(fromPath);
    expect(fromPath.instances.length).toBe(35);
  });

  it('raises SOURCE_UNREADABLE for a missing file and for a directory', async () => {
    await expect(loadState(join(scratch, 'nope.tfstate'))).rejects.toMatchObject({ code: 'SOURCE_UNREADABLE' });
    await expect(loadState(scratch)).rejects.toMatchObject({ code: 'SOURCE_UNREADABLE' });
  });

  it('raises SOURCE_UNREADABLE when stdin fails mid-stream', async () => {
    const bytes = readFileSync(join(demoDir, 'terraform.tfstate'));
    const stdin = new Readable({
      read() {
        this.push(bytes.subarray(0, 5000));
        this.destroy(Object.assign(new Error('pipe broke'), { code: 'EPIPE' }));
      },
    });
    await expect(loadState('-', { stdin })).rejects.toMatchObject({ code: 'SOURCE_UNREADABLE' });
  });
});

describeWithFixtures('loadState sources on a real state', () => {
  const FILE = join(REAL_STATES, 'huzaifa678__Crypto-currency-web-app-project__terraform__terraform.tfstate.backup');
  const bytes = readFileSync(FILE);
  const expected = parseState(bytes, FILE);

  it('streams a file path', async () => {
    const progress: number[] = [];
    expect(await outcome(() => loadState(FILE, { onProgress: (n) => progress.push(n) }))).toEqual(await outcome(() => expected));
    expect(progress.at(-1)).toBe(bytes.length);
  });

  it("reads '-' from the stdin stream it is given", async () => {
    const stdin = Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]);
    expect(await outcome(() => loadState('-', { stdin }))).toEqual(await outcome(() => expected));
  });

  it('scans bytes in memory', async () => {
    expect(await outcome(() => loadState(new Uint8Array(bytes)))).toEqual(await outcome(() => expected));
  });

  it("raises parseState's error code for a malformed file", async () => {
    const invalid = join(REAL_STATES, 'snyk__driftctl__pkg__iac__terraform__state__testdata__v4__invalid.tfstate');
    const want = await outcome(() => parseState(readFileSync(invalid), invalid));
    expect('code' in want).toBe(true);
    expect(await outcome(() => loadState(invalid))).toEqual(want);
  });
});
