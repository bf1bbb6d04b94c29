import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTargetArgs } from '../../src/tf/target-args.js';

const dir = mkdtempSync(join(tmpdir(), 'velocity-targets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('buildTargetArgs', () => {
  const targets = ['a.b', 'module.m["x"]'];

  it('emits one -target= per address', () => {
    expect(buildTargetArgs(targets, { supportsTargetFile: false, tmpDir: dir })).toEqual({ kind: 'args', args: ['-target=a.b', '-target=module.m["x"]'] });
  });

  it('writes a -target-file when the binary reads one', () => {
    const r = buildTargetArgs(targets, { supportsTargetFile: true, tmpDir: dir });
    expect(r.kind).toBe('file');
    if (r.kind !== 'file') return;
    expect(r.args).toEqual([`-target-file=${r.file}`]);
    expect(readFileSync(r.file, 'utf8')).toBe('a.b\nmodule.m["x"]\n');
  });

  it('reports too-long when the arguments plus what is already used pass the limit', () => {
    const many = Array.from({ length: 1000 }, (_, i) => `module.customer["c${i}"]`);
    expect(buildTargetArgs(many, { supportsTargetFile: false, tmpDir: dir, argMaxBytes: 10_000 })).toMatchObject({ kind: 'too-long', limit: 10_000 });
    expect(buildTargetArgs(['a.b'], { supportsTargetFile: false, tmpDir: dir, argMaxBytes: 100, usedBytes: 95 }).kind).toBe('too-long');
  });
});
