// The pure TypeScript scan kernel: a resumable, byte-at-a-time JSON validator (accepts exactly what JSON.parse
// accepts) that emits only the tokens a tfstate reader needs and skips every other value by structure.
// It is the twin of wasm/scan-kernel.ts, line for line; the agreement tests hold them to identical output.

import {
  MAX_DEPTH,
  SCAN_EMPTY,
  SCAN_EOF,
  SCAN_OK,
  SCAN_SYNTAX,
  SCAN_TOO_DEEP,
  TOKEN_ARR_END,
  TOKEN_ARR_START,
  TOKEN_CAPACITY,
  TOKEN_CAPTURED,
  TOKEN_ESCAPED,
  TOKEN_FALSE,
  TOKEN_KEY,
  TOKEN_NULL,
  TOKEN_NUMBER,
  TOKEN_OBJ_END,
  TOKEN_OBJ_START,
  TOKEN_SKIPPED_ARR,
  TOKEN_SKIPPED_OBJ,
  TOKEN_STRIDE,
  TOKEN_STRING,
  TOKEN_TRUE,
  type ScanKernel,
} from './scan-kernel.js';

// Lexer states.
const S_VALUE = 0; // a value must come (after ':' or ',' in an array, or at the top)
const S_ARR_FIRST = 1; // after '[': a value or ']'
const S_OBJ_FIRST = 2; // after '{': a key or '}'
const S_KEY = 3; // after ',' in an object: a key
const S_COLON = 4;
const S_AFTER = 5; // after a value inside a container: ',' or the closer
const S_STR = 6;
const S_ESC = 7;
const S_U1 = 8; // S_U1..S_U4: hex digits of \uXXXX
const S_U4 = 11;
const S_N_MINUS = 12;
const S_N_ZERO = 13;
const S_N_INT = 14;
const S_N_DOT = 15;
const S_N_FRAC = 16;
const S_N_E = 17;
const S_N_ESIGN = 18;
const S_N_EXP = 19;
const S_LIT = 20;
const S_DONE = 21; // after the top-level value: only whitespace
const S_ERROR = 22;

// Container classes: what the scanner does with a container's members. Classes >= C_ROOT emit tokens.
const C_SKIP = 0; // validated, one SKIPPED token when it closes
const C_CAPTURE = 1; // kept whole (top-level outputs): one CAPTURED token with its span
const C_MUTE = 2; // the value of a key nobody reads: validated, no token at all
const C_ROOT = 3; // depth 0 (no container)
const C_TOP = 4; // the state object
const C_RESOURCES = 5;
const C_RESOURCE = 6;
const C_INSTANCES = 7;
const C_INSTANCE = 8;
const C_DEPS = 9;

/**
 * The keys kept in each object the scanner descends into; a key's field id is its index + 1, written in the
 * KEY token's fourth slot (state-assembler.ts names the same ids). Any other key is muted with its value.
 */
const FIELDS: Readonly<Record<number, readonly (readonly number[])[]>> = {
  [C_TOP]: ['version', 'terraform_version', 'serial', 'lineage', 'outputs', 'resources', 'encrypted_data', 'encryption_version'].map(codes),
  [C_RESOURCE]: ['module', 'mode', 'type', 'name', 'provider', 'instances'].map(codes),
  [C_INSTANCE]: ['index_key', 'status', 'deposed', 'dependencies'].map(codes),
};
const F_TOP_OUTPUTS = 5;
const F_TOP_RESOURCES = 6;
const F_RESOURCE_INSTANCES = 6;
const F_INSTANCE_DEPENDENCIES = 4;

function codes(name: string): number[] {
  return [...name].map((c) => c.charCodeAt(0));
}

const LIT_BYTES: readonly (readonly number[])[] = ['true', 'false', 'null'].map(codes);
const LIT_TOKEN = [TOKEN_TRUE, TOKEN_FALSE, TOKEN_NULL];

const TOKEN_LIMIT = TOKEN_CAPACITY - 4; // NOTE: one byte emits at most 2 tokens; stop with room to spare.

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/**
 * Does the JSON string literal input[start, end) (quotes included) decode to `key`? Handles escapes, so
 * `"resourc\u0065s"` matches `resources` exactly as JSON.parse would read it. O(end - start).
 */
function keyEquals(b: Uint8Array, start: number, end: number, key: readonly number[], escaped: boolean): boolean {
  const n = key.length;
  if (!escaped) {
    if (end - start - 2 !== n) return false;
    for (let i = 0; i < n; i++) if (b[start + 1 + i] !== key[i]) return false;
    return true;
  }
  let p = start + 1;
  let k = 0;
  while (p < end - 1) {
    let unit = b[p]!;
    if (unit === 0x5c) {
      const e = b[p + 1]!;
      if (e === 0x75) {
        unit = (hexValue(b[p + 2]!) << 12) | (hexValue(b[p + 3]!) << 8) | (hexValue(b[p + 4]!) << 4) | hexValue(b[p + 5]!);
        p += 6;
      } else {
        unit = e === 0x62 ? 8 : e === 0x66 ? 12 : e === 0x6e ? 10 : e === 0x72 ? 13 : e === 0x74 ? 9 : e;
        p += 2;
      }
    } else {
      p++;
    }
    // NOTE: the keys we look for are ASCII, so a non-ASCII byte (or decoded unit) can never match.
    if (k >= n || unit !== key[k]) return false;
    k++;
  }
  return k === n;
}

class JsScanKernel implements ScanKernel {
  readonly name = 'js' as const;
  private buf = new Uint8Array(1 << 12);
  private readonly tok = new Int32Array(TOKEN_CAPACITY * TOKEN_STRIDE);
  private stack = new Uint8Array(1024);
  private st = S_VALUE;
  private dep = 0;
  private cls = C_ROOT;
  private field = 0;
  private mute = false;
  private tokStart = -1;
  private rawStart = -1;
  private strIsKey = false;
  private strEscaped = false;
  private lit = 0;
  private litPos = 0;
  private begun = false;
  private ntok = 0;
  private stat = SCAN_OK;
  private errAt = 0;
  private errState = 0;

  input(): Uint8Array {
    return this.buf;
  }

  reserve(bytes: number): void {
    if (bytes <= this.buf.length) return;
    let size = this.buf.length;
    while (size < bytes) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf);
    this.buf = next;
  }

  tokens(): Int32Array {
    return this.tok;
  }

  tokenCount(): number {
    return this.ntok;
  }

  status(): number {
    return this.stat;
  }

  errorPos(): number {
    return this.errAt;
  }

  errorInValue(): boolean {
    const s = this.errState;
    return this.stat === SCAN_SYNTAX && (s === S_VALUE || s === S_ARR_FIRST || s === S_LIT);
  }

  started(): boolean {
    return this.begun;
  }

  keepFrom(to: number): number {
    let k = to;
    if (this.tokStart >= 0 && this.tokStart < k) k = this.tokStart;
    if (this.rawStart >= 0 && this.rawStart < k) k = this.rawStart;
    return k;
  }

  shift(delta: number): void {
    if (this.tokStart >= 0) this.tokStart -= delta;
    if (this.rawStart >= 0) this.rawStart -= delta;
  }

  release(): void {
    // Nothing to pool: a JS kernel is cheap to create.
  }

  finish(to: number): void {
    this.ntok = 0;
    if (this.stat !== SCAN_OK) return;
    const st = this.st;
    if (this.dep === 0 && (st === S_N_ZERO || st === S_N_INT || st === S_N_FRAC || st === S_N_EXP)) {
      // A top-level number ends at end of input (inside a container the closer would have ended it).
      if (this.tokStart >= 0) this.emit(TOKEN_NUMBER, this.tokStart, to);
      this.tokStart = -1;
      this.st = S_DONE;
      return;
    }
    if (st === S_DONE) return;
    if (st === S_VALUE && this.dep === 0 && !this.begun) {
      this.stat = SCAN_EMPTY;
      return;
    }
    this.stat = SCAN_EOF;
    this.errState = st;
    this.errAt = to;
  }

  private emit(kind: number, start: number, end: number): void {
    const i = this.ntok * TOKEN_STRIDE;
    this.tok[i] = kind;
    this.tok[i + 1] = start;
    this.tok[i + 2] = end;
    this.tok[i + 3] = 0;
    this.ntok++;
  }

  /** Emits a string token with the FNV-1a hash of its content bytes. */
  private emitString(kind: number, start: number, end: number): void {
    const b = this.buf;
    let h = 0x811c9dc5 | 0;
    for (let q = start + 1; q < end - 1; q++) h = Math.imul(h ^ b[q]!, 0x01000193);
    this.emit(kind, start, end);
    this.tok[(this.ntok - 1) * TOKEN_STRIDE + 3] = h;
  }

  private fail(p: number, st: number, code: number): number {
    this.stat = code;
    this.errAt = p;
    this.errState = st;
    this.st = S_ERROR;
    return p;
  }

  scan(from: number, to: number): number {
    this.ntok = 0;
    if (this.stat !== SCAN_OK) return from;
    const b = this.buf;
    let p = from;
    let st = this.st;
    let dep = this.dep;
    let cls = this.cls;
    // NOTE: hot state lives in locals and is written back once per call; the outer loop dispatches on the
    // state and the common runs (string bodies, whitespace, digits) are tight inner loops.
    outer: while (p < to) {
      if (this.ntok >= TOKEN_LIMIT) break;
      switch (st) {
        case S_STR: {
          let c = 0;
          while (p < to) {
            c = b[p]!;
            if (c === 0x22 || c === 0x5c || c < 0x20) break;
            p++;
          }
          if (p >= to) break outer;
          if (c === 0x22) {
            p++;
            if (this.strIsKey) {
              if (this.tokStart >= 0) {
                const esc = this.strEscaped;
                const s = this.tokStart;
                const names = FIELDS[cls]!;
                let field = 0;
                for (let f = 0; f < names.length; f++) {
                  if (keyEquals(b, s, p, names[f]!, esc)) {
                    field = f + 1;
                    break;
                  }
                }
                this.field = field;
                if (field === 0) this.mute = true;
                else {
                  this.emit(TOKEN_KEY | (esc ? TOKEN_ESCAPED : 0), s, p);
                  this.tok[(this.ntok - 1) * TOKEN_STRIDE + 3] = field;
                }
                this.tokStart = -1;
              }
              st = S_COLON;
            } else {
              if (this.tokStart >= 0) {
                this.emitString(TOKEN_STRING | (this.strEscaped ? TOKEN_ESCAPED : 0), this.tokStart, p);
                this.tokStart = -1;
              }
              st = dep === 0 ? S_DONE : S_AFTER;
            }
          } else if (c === 0x5c) {
            p++;
            this.strEscaped = true;
            st = S_ESC;
          } else {
            return this.save(this.fail(p, st, SCAN_SYNTAX), dep, cls);
          }
          continue;
        }
        case S_ESC: {
          const c = b[p]!;
          if (c === 0x22 || c === 0x5c || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74) {
            st = S_STR;
          } else if (c === 0x75) {
            st = S_U1;
          } else {
            return this.save(this.fail(p, st, SCAN_SYNTAX), dep, cls);
          }
          p++;
          continue;
        }
        case S_U1:
        case S_U1 + 1:
        case S_U1 + 2:
        case S_U4: {
          if (hexValue(b[p]!) < 0) return this.save(this.fail(p, st, SCAN_SYNTAX), dep, cls);
          st = st === S_U4 ? S_STR : st + 1;
          p++;
          continue;
        }
        case S_N_INT:
        case S_N_FRAC:
        case S_N_EXP: {
          let c = 0;
          while (p < to) {
            c = b[p]!;
            if (c < 0x30 || c > 0x39) break;
            p++;
          }
          if (p >= to) break outer;
          if (c === 0x2e && st === S_N_INT) {
            st = S_N_DOT;
            p++;
          } else if (st !== S_N_EXP && (c === 0x65 || c === 0x45)) {
            st = S_N_E;
            p++;
          } else {
            if (this.tokStart >= 0) {
              this.emit(TOKEN_NUMBER, this.tokStart, p);
              this.tokStart = -1;
            }
            st = dep === 0 ? S_DONE : S_AFTER;
          }
          continue;
        }
        case S_N_ZERO: {
          const c = b[p]!;
          if (c === 0x2e) {
            st = S_N_DOT;
            p++;
          } else if (c === 0x65 || c === 0x45) {
            st = S_N_E;
            p++;
          } else {
            if (this.tokStart >= 0) {
              this.emit(TOKEN_NUMBER, this.tokStart, p);
              this.tokStart = -1;
            }
            st = dep === 0 ? S_DONE : S_AFTER;
          }
          continue;
        }
        case S_N_MINUS: {
          const c = b[p]!;
          if (c === 0x30) st = S_N_ZERO;
          else if (c >= 0x31 && c <= 0x39) st = S_N_INT;
          else return this.save(this.fail(p, st, SCAN_SYNTAX), dep, cls);
          p++;
          continue;
        }
        case S_N_DOT: {
          const c = b[p]!;
          if (c < 0x30 || c > 0x39) return this.save(this.fail(p, st, SCAN_SYNTAX), dep, cls);
          st = S_N_FRAC;
          p++;
          continue;
        }
        case S_N_E: {
          const c = b[p]!;
          if (c === 0x2b || c === 0x2d) st = S_N_ESIGN;
          else if (c >= 0x30 && c <= 0x39) st = S_N_EXP;
          else return this.save(this.fail(p, st, SCAN_SYNTAX), dep, cls);
          p++;
          continue;
        }
        case S_N_ESIGN: {
          const c = b[p]!;
          if (c < 0x30 || c > 0x39) return this.save(this.fail(p, st, SCAN_SYNTAX), dep, cls);
          st = S_N_EXP;
          p++;
          continue;
        }
        case S_LIT: {
          const want = LIT_BYTES[this.lit]!;
          if (b[p] !== want[this.litPos]) return this.save(this.fail(p, st, SCAN_SYNTAX), dep, cls);
          p++;
          this.litPos++;
          if (this.litPos === want.length) {
            if (this.tokStart >= 0) {
              this.emit(LIT_TOKEN[this.lit]!, this.tokStart, p);
              this.tokStart = -1;
            }
            st = dep === 0 ? S_DONE : S_AFTER;
          }
          continue;
        }
        case S_ERROR:
          break outer;
        default:
          break;
      }
      // Structural states: skip whitespace first.
      let c = b[p]!;
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        p++;
        if (p >= to) break outer;
        c = b[p]!;
      }
      switch (st) {
        case S_COLON:
          if (c !== 0x3a) return this.save(this.fail(p, st, SCAN_SYNTAX), dep, cls);
          st = S_VALUE;
          p++;
          continue;
        case S_AFTER:
          if (c === 0x2c) {
            st = (this.stack[dep]! & 1) === 1 ? S_VALUE : S_KEY;
            p++;
            continue;
          }
          if (c === 0x7d || c === 0x5d) break; // closer, below
          return this.save(this.fail(p, st, SCAN_SYNTAX), dep, cls);
        case S_OBJ_FIRST:
        case S_KEY:
          if (c === 0x22) {
            this.strIsKey = true;
            this.strEscaped = false;
            if (cls >= C_ROOT) this.tokStart = p;
            st = S_STR;
            p++;
            continue;
          }
          if (c === 0x7d && st === S_OBJ_FIRST) break; // closer, below
          return this.save(this.fail(p, st, SCAN_SYNTAX), dep, cls);
        case S_DONE:
          return this.save(this.fail(p, st, SCAN_SYNTAX), dep, cls);
        case S_ARR_FIRST:
        case S_VALUE: {
          if (c === 0x5d && st === S_ARR_FIRST) break; // closer, below
          const mute = this.mute;
          this.mute = false;
          const emitting = cls >= C_ROOT && !mute;
          // Only a byte that can start a value marks the document as begun (the error verdict depends on it).
          if (dep === 0 && (c === 0x22 || c === 0x7b || c === 0x5b || c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e)) this.begun = true;
          if (c === 0x22) {
            this.strIsKey = false;
            this.strEscaped = false;
            if (emitting) this.tokStart = p;
            st = S_STR;
            p++;
            continue;
          }
          if (c === 0x7b || c === 0x5b) {
            const isArr = c === 0x5b;
            let child = C_SKIP;
            if (mute) child = C_MUTE;
            else if (isArr) {
              if (cls === C_TOP) child = this.field === F_TOP_RESOURCES ? C_RESOURCES : this.field === F_TOP_OUTPUTS ? C_CAPTURE : C_SKIP;
              else if (cls === C_RESOURCE && this.field === F_RESOURCE_INSTANCES) child = C_INSTANCES;
              else if (cls === C_INSTANCE && this.field === F_INSTANCE_DEPENDENCIES) child = C_DEPS;
            } else if (cls === C_ROOT) child = C_TOP;
            else if (cls === C_RESOURCES) child = C_RESOURCE;
            else if (cls === C_INSTANCES) child = C_INSTANCE;
            else if (cls === C_TOP && this.field === F_TOP_OUTPUTS) child = C_CAPTURE;
            if (child === C_CAPTURE) this.rawStart = p;
            else if (child > C_ROOT) this.emit(isArr ? TOKEN_ARR_START : TOKEN_OBJ_START, p, p + 1);
            dep++;
            if (dep >= MAX_DEPTH) return this.save(this.fail(p, st, SCAN_TOO_DEEP), dep - 1, cls);
            if (dep >= this.stack.length) {
              const next = new Uint8Array(this.stack.length * 2);
              next.set(this.stack);
              this.stack = next;
            }
            this.stack[dep] = (child << 1) | (isArr ? 1 : 0);
            cls = child;
            st = isArr ? S_ARR_FIRST : S_OBJ_FIRST;
            p++;
            continue;
          }
          if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
            if (emitting) this.tokStart = p;
            st = c === 0x2d ? S_N_MINUS : c === 0x30 ? S_N_ZERO : S_N_INT;
            p++;
            continue;
          }
          if (c === 0x74 || c === 0x66 || c === 0x6e) {
            if (emitting) this.tokStart = p;
            this.lit = c === 0x74 ? 0 : c === 0x66 ? 1 : 2;
            this.litPos = 1;
            st = S_LIT;
            p++;
            continue;
          }
          return this.save(this.fail(p, st, SCAN_SYNTAX), dep, cls);
        }
        default:
          return this.save(this.fail(p, st, SCAN_SYNTAX), dep, cls);
      }
      // A closer ('}' or ']') in a state that allows it.
      const top = this.stack[dep]!;
      const isArr = c === 0x5d;
      if ((top & 1) !== (isArr ? 1 : 0)) return this.save(this.fail(p, st, SCAN_SYNTAX), dep, cls);
      const child = top >> 1;
      dep--;
      cls = dep === 0 ? C_ROOT : this.stack[dep]! >> 1;
      if (cls >= C_ROOT && child !== C_MUTE) {
        if (child === C_SKIP) this.emit(isArr ? TOKEN_SKIPPED_ARR : TOKEN_SKIPPED_OBJ, p, p + 1);
        else if (child === C_CAPTURE) {
          this.emit(TOKEN_CAPTURED, this.rawStart, p + 1);
          this.rawStart = -1;
        } else this.emit(isArr ? TOKEN_ARR_END : TOKEN_OBJ_END, p, p + 1);
      }
      p++;
      st = dep === 0 ? S_DONE : S_AFTER;
    }
    this.st = st;
    return this.save(p, dep, cls);
  }

  private save(p: number, dep: number, cls: number): number {
    this.dep = dep;
    this.cls = cls;
    return p;
  }
}

/** A fresh pure TypeScript kernel. O(1); each kernel scans one document. */
export function createJsScanKernel(): ScanKernel {
  return new JsScanKernel();
}
