// `--mode` of `velocity plan`: its four values, its default, and how it agrees with the older --refresh-strategy.
import { describe, expect, it } from 'vitest';
import { splitPlanArgs } from '../../src/tf/plan-args.js';
import { resolvePlanMode } from '../../src/tf/plan-mode.js';

describe('splitPlanArgs: --mode', () => {
  it('defaults to auto (strategy optimized)', () => {
    expect(splitPlanArgs(['-no-color']).velocity).toMatchObject({ mode: 'auto', strategy: 'optimized' });
  });

  it('reads every mode, in both spellings, and keeps strategy in step', () => {
    for (const mode of ['auto', 'inject', 'target', 'full'] as const) {
      const strategy = mode === 'full' ? 'full' : 'optimized';
      expect(splitPlanArgs([`--mode=${mode}`]).velocity).toMatchObject({ mode, strategy });
      const split = splitPlanArgs(['--mode', mode, '-json']);
      expect(split.velocity).toMatchObject({ mode, strategy });
      expect(split.binary.rest).toEqual(['-json']); // the value is velocity's, never the binary's
    }
  });

  it('takes --refresh-strategy as the older spelling: full = full, optimized = auto', () => {
    expect(splitPlanArgs(['--refresh-strategy=full']).velocity.mode).toBe('full');
    expect(splitPlanArgs(['--refresh-strategy', 'optimized']).velocity.mode).toBe('auto');
  });

  it('accepts both when they agree', () => {
    expect(splitPlanArgs(['--refresh-strategy=full', '--mode=full']).velocity.mode).toBe('full');
    for (const mode of ['auto', 'inject', 'target'] as const) {
      expect(splitPlanArgs(['--mode', mode, '--refresh-strategy=optimized']).velocity.mode).toBe(mode);
    }
  });

  it('refuses contradicting flags, a bad value and a missing value with USAGE (exit 2)', () => {
    for (const argv of [
      ['--refresh-strategy=full', '--mode=target'],
      ['--mode=inject', '--refresh-strategy=full'],
      ['--refresh-strategy=optimized', '--mode=full'],
      ['--mode=fast'],
      ['--mode='],
      ['--mode'],
    ]) {
      expect(() => splitPlanArgs(argv), argv.join(' ')).toThrow(expect.objectContaining({ code: 'USAGE', exitCode: 2 }));
    }
  });

  it('is resolved by the library the same way', () => {
    expect(resolvePlanMode(undefined, undefined)).toBe('auto');
    expect(resolvePlanMode('full', undefined)).toBe('full');
    expect(resolvePlanMode('optimized', 'target')).toBe('target');
    expect(() => resolvePlanMode('full', 'auto')).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
