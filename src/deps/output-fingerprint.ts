// The fingerprint of a state output's value: SHA-256 of its canonical JSON (object keys sorted, numbers as
// JavaScript prints them), so equal values give equal digests whatever the key order or spacing of the state.
// NOTE: values come from JSON.parse: integers beyond 2^53 that differ only past double precision digest alike.

import { createHash } from 'node:crypto';
import { canonicalJson } from '../config/summarize-config-file.js';

/** Hex SHA-256 (64 chars) of `value`'s canonical JSON. O(size of the value). */
export function outputFingerprint(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
