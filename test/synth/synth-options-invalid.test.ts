// Sizes and shapes that cannot be made are typed errors (SYNTH_OPTIONS), not crashes or empty files.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthWorkspace, type SynthShapeName } from '../../src/synth/synth-workspace.js';

const outDir = join(tmpdir(), 'velocity-synth-never-written');

describe('synth options', () => {
  it.each([
    ['customers', 0],
    ['customers', 2.5],
    ['wide', 1],
    ['chain', 10_001],
    ['tree', 10],
  ])('%s with %d resources is rejected', async (shape, resources) => {
    await expect(synthWorkspace({ shape: shape as SynthShapeName, resources, outDir })).rejects.toMatchObject({ code: 'SYNTH_OPTIONS' });
  });
});
