// Address parse and print round-trip on generated addresses, including hostile string keys.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatResourceAddress, formatTarget, parseResourceAddress, parseTarget } from '../../src/state/address.js';
import type { ModuleStep, ResourceAddress } from '../../src/state/address.js';

const ident = fc.stringMatching(/^[a-z_][a-z0-9_-]{0,8}$/).filter((s) => !['var', 'local', 'path', 'each', 'count', 'self', 'terraform', 'module', 'data'].includes(s));
const hostileString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('a"b', 'back\\slash', '${x}', '%{if}', '$${', 'tab\there', 'new\nline', 'é', '日本', '🚀', '\u0000', '\u200b', ''),
);
const key = fc.oneof(fc.nat({ max: 10_000 }), hostileString);
const step: fc.Arbitrary<ModuleStep> = fc.record({ name: ident, key: fc.option(key, { nil: undefined }) }).map((s) => (s.key === undefined ? { name: s.name } : { name: s.name, key: s.key }));
const resource: fc.Arbitrary<ResourceAddress> = fc
  .record({ module: fc.array(step, { maxLength: 3 }), mode: fc.constantFrom('managed' as const, 'data' as const), type: ident, name: ident, key: fc.option(key, { nil: undefined }) })
  .map((r) => (r.key === undefined ? { module: r.module, mode: r.mode, type: r.type, name: r.name } : r));

describe('address round-trip', () => {
  it('parse(print(a)) equals a for resources and instances', () => {
    fc.assert(fc.property(resource, (a) => {
        expect(parseResourceAddress(formatResourceAddress(a))).toEqual(a);
      }), { numRuns: 2000 });
  });

  it('print(parse(s)) equals s for every printed address', () => {
    fc.assert(
      fc.property(resource, (a) => {
        const text = formatResourceAddress(a);
        expect(formatResourceAddress(parseResourceAddress(text))).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('module targets round-trip', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 4 }), (module) => {
        const text = formatTarget({ kind: 'module', module });
        expect(parseTarget(text)).toEqual({ kind: 'module', module });
      }),
    );
  });
});
