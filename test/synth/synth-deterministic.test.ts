// Same shape, size and seed → the same bytes; another seed → other ids but the same structure.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseState } from '../../src/state/parse-state.js';
import { synthWorkspace, SYNTH_SHAPES } from '../../src/synth/synth-workspace.js';

const root = mkdtempSync(join(tmpdir(), 'velocity-synth-det-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('synth determinism', () => {
  it.each(SYNTH_SHAPES)('%s: same seed, same files', async (shape) => {
    const a = await synthWorkspace({ shape, resources: 130, seed: 5, outDir: join(root, `${shape}-a`) });
    const b = await synthWorkspace({ shape, resources: 130, seed: 5, outDir: join(root, `${shape}-b`) });
    const c = await synthWorkspace({ shape, resources: 130, seed: 6, outDir: join(root, `${shape}-c`) });
    for (const f of a.files) expect(readFileSync(join(root, `${shape}-a`, f), 'utf8')).toBe(readFileSync(join(root, `${shape}-b`, f), 'utf8'));
    const stateA = readFileSync(a.statePath, 'utf8');
    const stateC = readFileSync(c.statePath, 'utf8');
    expect(stateC).not.toBe(stateA);
    expect(parseState(stateC).instances.length).toBe(parseState(stateA).instances.length);
    expect(b.lineage).toBe(a.lineage);
  });

  it('gives every instance a distinct id', async () => {
    const s = await synthWorkspace({ shape: 'customers', resources: 1001, seed: 77, outDir: join(root, 'ids') });
    const ids = readFileSync(s.statePath, 'utf8').match(/"id": "[^"]+"/g) ?? [];
    expect(ids).toHaveLength(1001);
    expect(new Set(ids).size).toBe(1001);
  });
});
