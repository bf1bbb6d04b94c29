import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findBinary } from '../../src/tf/find-binary.js';

const root = mkdtempSync(join(tmpdir(), 'velocity-find-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fakeBin(dir: string, name: string, executable = true): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, executable ? 0o755 : 0o644);
  return path;
}

describe('findBinary', () => {
  it('prefers tofu over terraform on PATH, in PATH order', () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    fakeBin(a, 'terraform');
    const tofu = fakeBin(b, 'tofu');
    expect(findBinary({ env: { PATH: `${a}:${b}` } })).toEqual({ path: tofu, source: 'path' });
  });

  it('falls back to terraform when tofu is absent, and skips non-executable files', () => {
    const c = join(root, 'c');
    const d = join(root, 'd');
    fakeBin(c, 'tofu', false);
    const tf = fakeBin(d, 'terraform');
    expect(findBinary({ env: { PATH: `${c}:${d}` } }).path).toBe(tf);
  });

  it('uses --binary over VELOCITY_TF_BINARY over PATH', () => {
    const e = join(root, 'e');
    const explicit = fakeBin(e, 'my-tf');
    const fromEnv = fakeBin(e, 'env-tf');
    const env = { PATH: join(root, 'a'), VELOCITY_TF_BINARY: fromEnv };
    expect(findBinary({ env, explicit })).toEqual({ path: explicit, source: 'option' });
    expect(findBinary({ env })).toEqual({ path: fromEnv, source: 'env' });
  });

  it('resolves a relative --binary against cwd and a bare name on PATH', () => {
    const f = join(root, 'f');
    const path = fakeBin(f, 'tf-wrapper');
    expect(findBinary({ explicit: './tf-wrapper', cwd: f, env: { PATH: '' } }).path).toBe(path);
    expect(findBinary({ explicit: 'tf-wrapper', env: { PATH: f } }).path).toBe(path);
  });

  it('throws TF_BINARY_NOT_FOUND with what it searched when nothing is there', () => {
    const empty = join(root, 'empty');
    mkdirSync(empty, { recursive: true });
    expect(() => findBinary({ env: { PATH: empty } })).toThrow(expect.objectContaining({ code: 'TF_BINARY_NOT_FOUND', searched: [join(empty, 'tofu'), join(empty, 'terraform')] }));
    expect(() => findBinary({ env: { PATH: empty }, explicit: join(root, 'nope') })).toThrow(expect.objectContaining({ code: 'TF_BINARY_NOT_FOUND' }));
    expect(() => findBinary({ env: { PATH: empty, VELOCITY_TF_BINARY: join(root, 'nope') } })).toThrow(expect.objectContaining({ code: 'TF_BINARY_NOT_FOUND' }));
  });
});
