// loadState reads a path, stdin (`-`) or bytes with identical results; a missing file is SOURCE_UNREADABLE.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadState } from '../../src/state/load-state.js';
import { demoDir } from '../support/paths.js';

const path = join(demoDir, 'terraform.tfstate');

describe('loadState sources', () => {
  it('path, stdin and bytes agree', async () => {
    const bytes = readFileSync(path);
    const fromPath = await loadState(path);
    const fromStdin = await loadState('-', { stdin: Readable.from([bytes.subarray(0, 100), bytes.subarray(100)]) });
    const fromBytes = await loadState(bytes);
    expect(fromStdin).toEqual(fromPath);
    expect(fromBytes).toEqual(fromPath);
    expect(fromPath.instances.length).toBe(35);
  });
  it('missing file → SOURCE_UNREADABLE', async () => {
    await expect(loadState(join(demoDir, 'nope.tfstate'))).rejects.toMatchObject({ code: 'SOURCE_UNREADABLE' });
  });
});
