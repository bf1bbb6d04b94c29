// Reads the head of a tfstate v4 (version, terraform_version, serial, lineage) from its first 64 KiB only, so a
// compare-and-swap on serial and lineage costs one small read even on a 1 GB state.
// Guarantees: only top-level members are read (a "serial" inside outputs is never taken); absent or mistyped
// fields raise StateParseError, a version other than 4 UnsupportedStateVersionError.

import { closeSync, openSync, readSync } from 'node:fs';
import { SourceReadError, StateParseError, UnsupportedStateVersionError } from '../errors.js';

/** Where a state's bytes are: a file path, or an open descriptor read positionally (never closed here). */
export type StateBytes = { readonly path: string } | { readonly fd: number };

export interface StateHead {
  readonly version: number;
  readonly terraformVersion: string;
  readonly serial: number;
  readonly lineage: string;
}

const HEAD_BYTES = 64 << 10;

function readHead(source: StateBytes): { buf: Buffer; full: boolean } {
  const buf = Buffer.alloc(HEAD_BYTES);
  const read = (fd: number): number => {
    let n = 0;
    while (n < buf.length) {
      const got = readSync(fd, buf, n, buf.length - n, n);
      if (got === 0) break;
      n += got;
    }
    return n;
  };
  let n: number;
  if ('fd' in source) n = read(source.fd);
  else {
    let fd: number;
    try {
      fd = openSync(source.path, 'r');
    } catch (error) {
      throw new SourceReadError(source.path, error);
    }
    try {
      n = read(fd);
    } finally {
      closeSync(fd);
    }
  }
  return { buf: buf.subarray(0, n), full: n === buf.length };
}

const isWs = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * The head fields of the state at `source`. O(64 KiB).
 * NOTE: Terraform writes version, terraform_version, serial and lineage before outputs and resources, so they are
 * always within the first bytes; members before them are skipped structurally (strings, nesting), not by regex.
 * @throws StateParseError (STATE_EMPTY, STATE_NOT_JSON, STATE_NOT_A_STATE), UnsupportedStateVersionError, SourceReadError
 */
export function readStateHead(source: StateBytes): StateHead {
  const { buf, full } = readHead(source);
  const text = buf.toString('latin1');
  let i = 0;
  const ws = (): void => {
    while (i < text.length && isWs(text.charCodeAt(i))) i++;
  };
  ws();
  if (i === text.length) throw new StateParseError('STATE_EMPTY', 'the state is empty');
  if (text[i] !== '{') throw new StateParseError('STATE_NOT_JSON', 'the state is not a JSON object', { offset: i });
  i++;
  const found: Record<string, unknown> = {};
  const wanted = ['version', 'terraform_version', 'serial', 'lineage'];
  /** End of the JSON string starting at i (the quote), or -1 when the head ends first. */
  const stringEnd = (from: number): number => {
    for (let j = from + 1; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x5c) j++;
      else if (c === 0x22) return j + 1;
    }
    return -1;
  };
  /** Skips one value starting at i; returns false when the head ends inside it. */
  const skipValue = (): boolean => {
    let depth = 0;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        const e = stringEnd(i);
        if (e < 0) return false;
        i = e;
        if (depth === 0) return true;
        continue;
      }
      if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (depth === 0) return true; // the enclosing object ends: a scalar just ended
        depth--;
        if (depth === 0) {
          i++;
          return true;
        }
      } else if (depth === 0 && (c === 0x2c || isWs(c))) return true;
      i++;
    }
    return false;
  };
  while (wanted.some((k) => !(k in found))) {
    ws();
    if (i >= text.length) break;
    if (text[i] === '}') break;
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] !== '"') throw new StateParseError('STATE_NOT_JSON', 'the state is not valid JSON', { offset: i });
    const keyEnd = stringEnd(i);
    if (keyEnd < 0) break;
    const key = JSON.parse(buf.subarray(i, keyEnd).toString('utf8')) as string;
    i = keyEnd;
    ws();
    if (text[i] !== ':') {
      if (i >= text.length) break;
      throw new StateParseError('STATE_NOT_JSON', 'the state is not valid JSON', { offset: i });
    }
    i++;
    ws();
    const start = i;
    if (!skipValue()) break;
    if (wanted.includes(key) && !(key in found)) {
      try {
        found[key] = JSON.parse(buf.subarray(start, i).toString('utf8'));
      } catch (error) {
        throw new StateParseError('STATE_NOT_JSON', `the state's "${key}" is not a JSON value`, { offset: start, cause: error });
      }
    }
  }
  const missing = wanted.filter((k) => !(k in found));
  if (typeof found['version'] === 'number' && found['version'] !== 4) throw new UnsupportedStateVersionError(found['version']);
  if (missing.length > 0) {
    throw new StateParseError(
      full || text.trimEnd().endsWith('}') ? 'STATE_NOT_A_STATE' : 'STATE_TRUNCATED',
      `not a tfstate: no top-level ${missing.map((k) => `"${k}"`).join(', ')} in its first ${HEAD_BYTES >> 10} KiB`,
    );
  }
  const { version, terraform_version: terraformVersion, serial, lineage } = found;
  if (typeof version !== 'number' || typeof terraformVersion !== 'string' || typeof serial !== 'number' || !Number.isInteger(serial) || serial < 0 || typeof lineage !== 'string') {
    throw new StateParseError('STATE_NOT_A_STATE', 'not a tfstate: version, terraform_version, serial or lineage has the wrong type');
  }
  return { version, terraformVersion, serial, lineage };
}
