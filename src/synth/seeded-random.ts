// Deterministic pseudo-randomness for synthetic workspaces: a seeded PRNG for structure and a stateless
// UUID function for ids. Same seed, same output, on every machine (32-bit integer arithmetic only).

/** murmur3's 32-bit finaliser: a bijection on uint32, so distinct inputs give distinct outputs. */
function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/**
 * A UUID-shaped id (8-4-4-4-12 lowercase hex, as Terraform's `terraform_data` ids look) for entity `n` under `seed`.
 * Distinct `n` below 2^32 give distinct ids for a fixed seed (the first word is a bijection of n). O(1).
 */
export function syntheticUuid(seed: number, n: number): string {
  const s = mix32(seed ^ 0x9e3779b9);
  const w0 = mix32(s ^ mix32(n));
  const w1 = mix32(w0 ^ 0x632be5ab);
  const w2 = mix32(w1 ^ s);
  const w3 = mix32(w2 + 0x7f4a7c15);
  const a = hex8(w1);
  const b = hex8(w2);
  return `${hex8(w0)}-${a.slice(0, 4)}-${a.slice(4)}-${b.slice(0, 4)}-${b.slice(4)}${hex8(w3)}`;
}

/** A seeded PRNG (mulberry32): `next()` in [0, 1), `int(n)` in [0, n). O(1) per draw. */
export class SeededRandom {
  private state: number;
  constructor(seed: number) {
    this.state = mix32(seed) || 0x6d2b79f5;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}
