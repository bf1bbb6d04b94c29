// The place of a lock address in the address hierarchy, as a path of segments: address A contains address B (every
// resource instance B can name, A names too) exactly when A's path is a prefix of B's. Follows Terraform's
// TargetContains: a resource written without a key covers all its instances, a module written without a key as the
// last step (a module call) covers all its instances, and a key-less module step inside a longer address is the
// single no-key instance. Two locks overlap exactly when one path is a prefix of the other.

import { formatKey, parseTarget, type ModuleStep } from '../state/address.js';

/** A lock address placed in the hierarchy. */
export interface LockPath {
  /** The segments, root first. */
  readonly segments: readonly string[];
  /**
   * The segments each followed by U+001F, for byte-ordered storage (SQL `COLLATE "C"`): B is inside A exactly when
   * `A.encoded <= B.encoded < A.upper`. No segment contains a character below U+0020 (keys print escaped).
   */
  readonly encoded: string;
  /** The smallest string above every path inside this one: `encoded` with its last U+001F raised to U+0020. */
  readonly upper: string;
  /** `encoded` of every proper ancestor, shortest first. */
  readonly ancestors: readonly string[];
}

const SEP = '\u001f';
/** The key segment of a module step written without a key inside a longer address: the no-key instance. */
const NO_KEY = '[]';

function moduleSegments(steps: readonly ModuleStep[], lastIsCall: boolean): string[] {
  const out: string[] = [];
  steps.forEach((s, i) => {
    out.push(`module.${s.name}`);
    if (s.key !== undefined) out.push(formatKey(s.key));
    else if (!(lastIsCall && i === steps.length - 1)) out.push(NO_KEY);
  });
  return out;
}

/** Places `address` (any form `-target` accepts) in the hierarchy. O(length). @throws AddressParseError */
export function lockPath(address: string): LockPath {
  const t = parseTarget(address);
  const segments =
    t.kind === 'module'
      ? moduleSegments(t.module, true)
      : [
          ...moduleSegments(t.resource.module, false),
          `${t.resource.mode === 'data' ? 'data.' : ''}${t.resource.type}.${t.resource.name}`,
          ...(t.resource.key === undefined ? [] : [formatKey(t.resource.key)]),
        ];
  const ancestors: string[] = [];
  let encoded = '';
  for (const s of segments) {
    if (encoded !== '') ancestors.push(encoded);
    encoded += s + SEP;
  }
  return { segments, encoded, upper: `${encoded.slice(0, -1)} `, ancestors };
}
