// Test oracle: which lock addresses contain which, written from Terraform's TargetContains rules on the parsed
// address (independent of src/lock/lock-path.ts), and a fast-check arbitrary over every address form (resource
// instance, resource, module instance, module call) with keys that hold dots, brackets and quotes.
import fc from 'fast-check';
import { formatKey, parseTarget, type ModuleStep, type TargetAddress } from '../../../src/state/address.js';
import type { IndexKey } from '../../../src/state/instance-record.js';

function sameStep(a: ModuleStep, b: ModuleStep): boolean {
  return a.name === b.name && a.key === b.key;
}

function modulePathOf(t: TargetAddress): readonly ModuleStep[] {
  return t.kind === 'module' ? t.module : t.resource.module;
}

/** True when every instance `inner` can name is named by `outer` (Terraform's TargetContains). */
export function contains(outerText: string, innerText: string): boolean {
  const outer = parseTarget(outerText);
  const inner = parseTarget(innerText);
  if (outer.kind === 'module') {
    const m = outer.module;
    const path = modulePathOf(inner);
    if (path.length < m.length) return false;
    // A module target's last step without a key is the whole call: every instance of it.
    for (let i = 0; i < m.length; i++) {
      const o = m[i] as ModuleStep;
      const x = path[i] as ModuleStep;
      if (o.name !== x.name) return false;
      if (i === m.length - 1 && o.key === undefined) return true;
      if (o.key !== x.key) return false;
    }
    return true;
  }
  if (inner.kind !== 'resource') return false;
  const o = outer.resource;
  const x = inner.resource;
  if (o.module.length !== x.module.length || !o.module.every((s, i) => sameStep(s, x.module[i] as ModuleStep))) return false;
  if (o.mode !== x.mode || o.type !== x.type || o.name !== x.name) return false;
  return o.key === undefined || o.key === x.key;
}

/** Two locks overlap when one contains the other. */
export function overlaps(a: string, b: string): boolean {
  return contains(a, b) || contains(b, a);
}

const KEYS: IndexKey[] = [0, 1, 'a', 'a.b', 'a"].x', '["q"]', 'module.x', 'k]'];
const keyArb = fc.constantFrom<IndexKey | undefined>(undefined, ...KEYS);
const stepArb = fc.record({ name: fc.constantFrom('x', 'y'), key: keyArb });

function modulePrefix(steps: readonly { name: string; key: IndexKey | undefined }[]): string {
  return steps.map((s) => `module.${s.name}${s.key === undefined ? '' : formatKey(s.key)}.`).join('');
}

/** Canonical addresses of every form over a small alphabet, so that pairs often nest. */
export const lockAddressArb: fc.Arbitrary<string> = fc.oneof(
  // resource instance / resource
  fc
    .record({ path: fc.array(stepArb, { maxLength: 2 }), res: fc.constantFrom('t.a', 't.b', 'data.t.a'), key: keyArb })
    .map(({ path, res, key }) => `${modulePrefix(path)}${res}${key === undefined ? '' : formatKey(key)}`),
  // module instance / module call (the last step's key decides)
  fc
    .record({ path: fc.array(stepArb, { maxLength: 1 }), last: stepArb })
    .map(({ path, last }) => `${modulePrefix(path)}module.${last.name}${last.key === undefined ? '' : formatKey(last.key)}`),
);
