// AssemblyScript twin of src/state/js-scan-kernel.ts: a resumable, byte-at-a-time JSON validator (accepts
// exactly what JSON.parse accepts) that writes only the tokens a tfstate reader needs as i32 quadruples and skips
// every other value by structure. Same states, same tokens; the agreement tests hold the two to identical output.
//
// Memory layout (no allocator, no GC): [stack: 1 byte per open container][tokens: TOKEN_CAPACITY * 16 bytes]
// [input window ... grows to the end of memory]. The host writes input bytes at inputPtr().

// NOTE: duplicated from src/state/scan-kernel.ts (AssemblyScript cannot import it).
const TOKEN_KEY: i32 = 1;
const TOKEN_STRING: i32 = 2;
const TOKEN_NUMBER: i32 = 3;
const TOKEN_TRUE: i32 = 4;
const TOKEN_OBJ_START: i32 = 7;
const TOKEN_OBJ_END: i32 = 8;
const TOKEN_ARR_START: i32 = 9;
const TOKEN_ARR_END: i32 = 10;
const TOKEN_SKIPPED_OBJ: i32 = 11;
const TOKEN_SKIPPED_ARR: i32 = 12;
const TOKEN_CAPTURED: i32 = 13;
const TOKEN_ESCAPED: i32 = 0x100;
const SCAN_OK: i32 = 0;
const SCAN_SYNTAX: i32 = 1;
const SCAN_EOF: i32 = 2;
const SCAN_EMPTY: i32 = 3;
const SCAN_TOO_DEEP: i32 = 4;
const TOKEN_CAPACITY: i32 = 16384;
const MAX_DEPTH: i32 = 1 << 20;
const TOKEN_LIMIT: i32 = TOKEN_CAPACITY - 4; // NOTE: one byte emits at most 2 tokens; stop with room to spare.

const S_VALUE: i32 = 0;
const S_ARR_FIRST: i32 = 1;
const S_OBJ_FIRST: i32 = 2;
const S_KEY: i32 = 3;
const S_COLON: i32 = 4;
const S_AFTER: i32 = 5;
const S_STR: i32 = 6;
const S_ESC: i32 = 7;
const S_U1: i32 = 8;
const S_U4: i32 = 11;
const S_N_MINUS: i32 = 12;
const S_N_ZERO: i32 = 13;
const S_N_INT: i32 = 14;
const S_N_DOT: i32 = 15;
const S_N_FRAC: i32 = 16;
const S_N_E: i32 = 17;
const S_N_ESIGN: i32 = 18;
const S_N_EXP: i32 = 19;
const S_LIT: i32 = 20;
const S_DONE: i32 = 21;
const S_ERROR: i32 = 22;

const C_SKIP: i32 = 0;
const C_CAPTURE: i32 = 1;
const C_MUTE: i32 = 2;
const C_ROOT: i32 = 3;
const C_TOP: i32 = 4;
const C_RESOURCES: i32 = 5;
const C_RESOURCE: i32 = 6;
const C_INSTANCES: i32 = 7;
const C_INSTANCE: i32 = 8;
const C_DEPS: i32 = 9;

// Kept keys per descended object; field id = position + 1 (same tables as the TypeScript kernel).
const F_TOP_OUTPUTS: i32 = 5;
const F_TOP_RESOURCES: i32 = 6;
const F_RESOURCE_INSTANCES: i32 = 6;
const F_INSTANCE_DEPENDENCIES: i32 = 4;
const N_VERSION = memory.data<u8>([0x76, 0x65, 0x72, 0x73, 0x69, 0x6f, 0x6e]);
const N_TERRAFORM_VERSION = memory.data<u8>([0x74, 0x65, 0x72, 0x72, 0x61, 0x66, 0x6f, 0x72, 0x6d, 0x5f, 0x76, 0x65, 0x72, 0x73, 0x69, 0x6f, 0x6e]);
const N_SERIAL = memory.data<u8>([0x73, 0x65, 0x72, 0x69, 0x61, 0x6c]);
const N_LINEAGE = memory.data<u8>([0x6c, 0x69, 0x6e, 0x65, 0x61, 0x67, 0x65]);
const N_OUTPUTS = memory.data<u8>([0x6f, 0x75, 0x74, 0x70, 0x75, 0x74, 0x73]);
const N_RESOURCES = memory.data<u8>([0x72, 0x65, 0x73, 0x6f, 0x75, 0x72, 0x63, 0x65, 0x73]);
const N_ENCRYPTED_DATA = memory.data<u8>([0x65, 0x6e, 0x63, 0x72, 0x79, 0x70, 0x74, 0x65, 0x64, 0x5f, 0x64, 0x61, 0x74, 0x61]);
const N_ENCRYPTION_VERSION = memory.data<u8>([0x65, 0x6e, 0x63, 0x72, 0x79, 0x70, 0x74, 0x69, 0x6f, 0x6e, 0x5f, 0x76, 0x65, 0x72, 0x73, 0x69, 0x6f, 0x6e]);
const N_MODULE = memory.data<u8>([0x6d, 0x6f, 0x64, 0x75, 0x6c, 0x65]);
const N_MODE = memory.data<u8>([0x6d, 0x6f, 0x64, 0x65]);
const N_TYPE = memory.data<u8>([0x74, 0x79, 0x70, 0x65]);
const N_NAME = memory.data<u8>([0x6e, 0x61, 0x6d, 0x65]);
const N_PROVIDER = memory.data<u8>([0x70, 0x72, 0x6f, 0x76, 0x69, 0x64, 0x65, 0x72]);
const N_INSTANCES = memory.data<u8>([0x69, 0x6e, 0x73, 0x74, 0x61, 0x6e, 0x63, 0x65, 0x73]);
const N_INDEX_KEY = memory.data<u8>([0x69, 0x6e, 0x64, 0x65, 0x78, 0x5f, 0x6b, 0x65, 0x79]);
const N_STATUS = memory.data<u8>([0x73, 0x74, 0x61, 0x74, 0x75, 0x73]);
const N_DEPOSED = memory.data<u8>([0x64, 0x65, 0x70, 0x6f, 0x73, 0x65, 0x64]);
const N_DEPENDENCIES = memory.data<u8>([0x64, 0x65, 0x70, 0x65, 0x6e, 0x64, 0x65, 0x6e, 0x63, 0x69, 0x65, 0x73]);

// "true" "false" "null", 8 bytes apart
const LITS = memory.data<u8>([0x74, 0x72, 0x75, 0x65, 0, 0, 0, 0, 0x66, 0x61, 0x6c, 0x73, 0x65, 0, 0, 0, 0x6e, 0x75, 0x6c, 0x6c, 0, 0, 0, 0]);

const QUOTES = i8x16.splat(0x22);
const BACKSLASHES = i8x16.splat(0x5c);
const SPACES = i8x16.splat(0x20);
const NEWLINES = i8x16.splat(0x0a);
const TABS = i8x16.splat(0x09);
const RETURNS = i8x16.splat(0x0d);

const STACK_PTR: usize = (__heap_base + 15) & ~(15 as usize);
const TOK_PTR: usize = STACK_PTR + (MAX_DEPTH as usize) + 16;
const INPUT_PTR: usize = TOK_PTR + ((TOKEN_CAPACITY * 16) as usize);

let st: i32 = S_VALUE;
let dep: i32 = 0;
let cls: i32 = C_ROOT;
let field: i32 = 0;
let mute: bool = false;
let tokStart: i32 = -1;
let rawStart: i32 = -1;
let strIsKey: bool = false;
let strEscaped: bool = false;
let lit: i32 = 0;
let litPos: i32 = 0;
let begun: bool = false;
let ntok: i32 = 0;
let stat: i32 = SCAN_OK;
let errAt: i32 = 0;
let errState: i32 = 0;

/** Resets the kernel for a new document (an instance may be reused). */
export function reset(): void {
  st = S_VALUE;
  dep = 0;
  cls = C_ROOT;
  field = 0;
  mute = false;
  tokStart = -1;
  rawStart = -1;
  strIsKey = false;
  strEscaped = false;
  lit = 0;
  litPos = 0;
  begun = false;
  ntok = 0;
  stat = SCAN_OK;
  errAt = 0;
  errState = 0;
}

export function inputPtr(): usize {
  return INPUT_PTR;
}

export function tokensPtr(): usize {
  return TOK_PTR;
}

/** Bytes available in the input window. */
export function inputCapacity(): i32 {
  return <i32>((<usize>memory.size() << 16) - INPUT_PTR);
}

/** Grows memory so the input window holds at least `bytes`; returns 0 on failure. */
export function reserve(bytes: i32): i32 {
  const need: usize = INPUT_PTR + <usize>bytes;
  const have: usize = <usize>memory.size() << 16;
  if (need <= have) return 1;
  const pages = <i32>((need - have + 0xffff) >> 16);
  return memory.grow(pages) < 0 ? 0 : 1;
}

export function tokenCount(): i32 {
  return ntok;
}
export function status(): i32 {
  return stat;
}
export function errorPos(): i32 {
  return errAt;
}

export function started(): i32 {
  return begun ? 1 : 0;
}
/** 1 when the syntax error was seen where a value had to start, or inside true/false/null. */
export function errorInValue(): i32 {
  const s = errState;
  return stat == SCAN_SYNTAX && (s == S_VALUE || s == S_ARR_FIRST || s == S_LIT) ? 1 : 0;
}
export function keepFrom(to: i32): i32 {
  let k = to;
  if (tokStart >= 0 && tokStart < k) k = tokStart;
  if (rawStart >= 0 && rawStart < k) k = rawStart;
  return k;
}
export function shift(delta: i32): void {
  if (tokStart >= 0) tokStart -= delta;
  if (rawStart >= 0) rawStart -= delta;
}

@inline function at(p: i32): i32 {
  return <i32>load<u8>(INPUT_PTR + <usize>p);
}

@inline function emit(kind: i32, start: i32, end: i32): void {
  const q = TOK_PTR + <usize>(ntok << 4);
  store<i32>(q, kind);
  store<i32>(q, start, 4);
  store<i32>(q, end, 8);
  store<i32>(q, 0, 12);
  ntok++;
}

/** Emits a string token with the FNV-1a hash of its content bytes (same as the TypeScript kernel). */
function emitString(kind: i32, start: i32, end: i32): void {
  let h: i32 = <i32>0x811c9dc5;
  for (let q = start + 1; q < end - 1; q++) h = (h ^ at(q)) * 0x01000193;
  emit(kind, start, end);
  store<i32>(TOK_PTR + <usize>((ntok - 1) << 4), h, 12);
}

@inline function stackAt(d: i32): i32 {
  return <i32>load<u8>(STACK_PTR + <usize>d);
}

function hexValue(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** Does the string literal input[start, end) decode to the n bytes at `key`? Escape-aware. */
function keyEquals(start: i32, end: i32, key: usize, n: i32, escaped: bool): bool {
  if (!escaped) {
    if (end - start - 2 != n) return false;
    for (let i = 0; i < n; i++) if (at(start + 1 + i) != <i32>load<u8>(key + <usize>i)) return false;
    return true;
  }
  let p = start + 1;
  let k = 0;
  while (p < end - 1) {
    let unit = at(p);
    if (unit == 0x5c) {
      const e = at(p + 1);
      if (e == 0x75) {
        unit = (hexValue(at(p + 2)) << 12) | (hexValue(at(p + 3)) << 8) | (hexValue(at(p + 4)) << 4) | hexValue(at(p + 5));
        p += 6;
      } else {
        unit = e == 0x62 ? 8 : e == 0x66 ? 12 : e == 0x6e ? 10 : e == 0x72 ? 13 : e == 0x74 ? 9 : e;
        p += 2;
      }
    } else {
      p++;
    }
    if (k >= n || unit != <i32>load<u8>(key + <usize>k)) return false;
    k++;
  }
  return k == n;
}

/** The field id of the key input[start, end) in an object of class `c` (0: not kept). */
function fieldOf(c: i32, start: i32, end: i32, esc: bool): i32 {
  if (c == C_TOP) {
    if (keyEquals(start, end, N_VERSION, 7, esc)) return 1;
    if (keyEquals(start, end, N_TERRAFORM_VERSION, 17, esc)) return 2;
    if (keyEquals(start, end, N_SERIAL, 6, esc)) return 3;
    if (keyEquals(start, end, N_LINEAGE, 7, esc)) return 4;
    if (keyEquals(start, end, N_OUTPUTS, 7, esc)) return 5;
    if (keyEquals(start, end, N_RESOURCES, 9, esc)) return 6;
    if (keyEquals(start, end, N_ENCRYPTED_DATA, 14, esc)) return 7;
    if (keyEquals(start, end, N_ENCRYPTION_VERSION, 18, esc)) return 8;
  } else if (c == C_RESOURCE) {
    if (keyEquals(start, end, N_MODULE, 6, esc)) return 1;
    if (keyEquals(start, end, N_MODE, 4, esc)) return 2;
    if (keyEquals(start, end, N_TYPE, 4, esc)) return 3;
    if (keyEquals(start, end, N_NAME, 4, esc)) return 4;
    if (keyEquals(start, end, N_PROVIDER, 8, esc)) return 5;
    if (keyEquals(start, end, N_INSTANCES, 9, esc)) return 6;
  } else if (c == C_INSTANCE) {
    if (keyEquals(start, end, N_INDEX_KEY, 9, esc)) return 1;
    if (keyEquals(start, end, N_STATUS, 6, esc)) return 2;
    if (keyEquals(start, end, N_DEPOSED, 7, esc)) return 3;
    if (keyEquals(start, end, N_DEPENDENCIES, 12, esc)) return 4;
  }
  return 0;
}

function fail(p: i32, s: i32, code: i32): i32 {
  stat = code;
  errAt = p;
  errState = s;
  st = S_ERROR;
  return p;
}

export function finish(to: i32): void {
  ntok = 0;
  if (stat != SCAN_OK) return;
  if (dep == 0 && (st == S_N_ZERO || st == S_N_INT || st == S_N_FRAC || st == S_N_EXP)) {
    if (tokStart >= 0) emit(TOKEN_NUMBER, tokStart, to);
    tokStart = -1;
    st = S_DONE;
    return;
  }
  if (st == S_DONE) return;
  if (st == S_VALUE && dep == 0 && !begun) {
    stat = SCAN_EMPTY;
    return;
  }
  stat = SCAN_EOF;
  errState = st;
  errAt = to;
}

/** Scans input[from, to); returns where it stopped (see ScanKernel.scan). */
export function scan(from: i32, to: i32): i32 {
  ntok = 0;
  if (stat != SCAN_OK) return from;
  let p = from;
  let s = st;
  // NOTE: the main loop mirrors the TypeScript kernel; string bodies, whitespace and digits are tight inner loops.
  while (p < to) {
    if (ntok >= TOKEN_LIMIT) break;
    if (s == S_STR) {
      let c = 0;
      // NOTE: 16 bytes at a time while they hold no '"', '\\' or control byte (SIMD); the scalar loop finishes.
      while (p + 16 <= to) {
        const v = v128.load(INPUT_PTR + <usize>p);
        const hit = v128.or(v128.or(i8x16.eq(v, QUOTES), i8x16.eq(v, BACKSLASHES)), i8x16.lt_u(v, SPACES));
        const mask = i8x16.bitmask(hit);
        if (mask != 0) {
          p += ctz(mask);
          break;
        }
        p += 16;
      }
      while (p < to) {
        c = at(p);
        if (c == 0x22 || c == 0x5c || c < 0x20) break;
        p++;
      }
      if (p >= to) break;
      if (c == 0x22) {
        p++;
        if (strIsKey) {
          if (tokStart >= 0) {
            const f = fieldOf(cls, tokStart, p, strEscaped);
            field = f;
            if (f == 0) mute = true;
            else {
              emit(TOKEN_KEY | (strEscaped ? TOKEN_ESCAPED : 0), tokStart, p);
              store<i32>(TOK_PTR + <usize>((ntok - 1) << 4), f, 12);
            }
            tokStart = -1;
          }
          s = S_COLON;
        } else {
          if (tokStart >= 0) {
            emitString(TOKEN_STRING | (strEscaped ? TOKEN_ESCAPED : 0), tokStart, p);
            tokStart = -1;
          }
          s = dep == 0 ? S_DONE : S_AFTER;
        }
      } else if (c == 0x5c) {
        p++;
        strEscaped = true;
        s = S_ESC;
      } else {
        return fail(p, s, SCAN_SYNTAX);
      }
      continue;
    }
    if (s >= S_ESC && s <= S_LIT) {
      const c = at(p);
      if (s == S_ESC) {
        if (c == 0x22 || c == 0x5c || c == 0x2f || c == 0x62 || c == 0x66 || c == 0x6e || c == 0x72 || c == 0x74) s = S_STR;
        else if (c == 0x75) s = S_U1;
        else return fail(p, s, SCAN_SYNTAX);
        p++;
        continue;
      }
      if (s <= S_U4) {
        if (hexValue(c) < 0) return fail(p, s, SCAN_SYNTAX);
        s = s == S_U4 ? S_STR : s + 1;
        p++;
        continue;
      }
      if (s == S_N_INT || s == S_N_FRAC || s == S_N_EXP) {
        let d = c;
        while (d >= 0x30 && d <= 0x39) {
          p++;
          if (p >= to) break;
          d = at(p);
        }
        if (p >= to) break;
        if (d == 0x2e && s == S_N_INT) {
          s = S_N_DOT;
          p++;
        } else if (s != S_N_EXP && (d == 0x65 || d == 0x45)) {
          s = S_N_E;
          p++;
        } else {
          if (tokStart >= 0) {
            emit(TOKEN_NUMBER, tokStart, p);
            tokStart = -1;
          }
          s = dep == 0 ? S_DONE : S_AFTER;
        }
        continue;
      }
      if (s == S_N_ZERO) {
        if (c == 0x2e) {
          s = S_N_DOT;
          p++;
        } else if (c == 0x65 || c == 0x45) {
          s = S_N_E;
          p++;
        } else {
          if (tokStart >= 0) {
            emit(TOKEN_NUMBER, tokStart, p);
            tokStart = -1;
          }
          s = dep == 0 ? S_DONE : S_AFTER;
        }
        continue;
      }
      if (s == S_N_MINUS) {
        if (c == 0x30) s = S_N_ZERO;
        else if (c >= 0x31 && c <= 0x39) s = S_N_INT;
        else return fail(p, s, SCAN_SYNTAX);
        p++;
        continue;
      }
      if (s == S_N_DOT) {
        if (c < 0x30 || c > 0x39) return fail(p, s, SCAN_SYNTAX);
        s = S_N_FRAC;
        p++;
        continue;
      }
      if (s == S_N_E) {
        if (c == 0x2b || c == 0x2d) s = S_N_ESIGN;
        else if (c >= 0x30 && c <= 0x39) s = S_N_EXP;
        else return fail(p, s, SCAN_SYNTAX);
        p++;
        continue;
      }
      if (s == S_N_ESIGN) {
        if (c < 0x30 || c > 0x39) return fail(p, s, SCAN_SYNTAX);
        s = S_N_EXP;
        p++;
        continue;
      }
      // S_LIT
      const want = <i32>load<u8>(LITS + <usize>(lit * 8 + litPos));
      if (c != want) return fail(p, s, SCAN_SYNTAX);
      p++;
      litPos++;
      if (load<u8>(LITS + <usize>(lit * 8 + litPos)) == 0) {
        if (tokStart >= 0) {
          emit(TOKEN_TRUE + lit, tokStart, p);
          tokStart = -1;
        }
        s = dep == 0 ? S_DONE : S_AFTER;
      }
      continue;
    }
    if (s == S_ERROR) break;
    // Structural states: skip whitespace first (16 bytes at a time through indentation runs).
    while (p + 16 <= to) {
      const v = v128.load(INPUT_PTR + <usize>p);
      const ws = v128.or(v128.or(i8x16.eq(v, SPACES), i8x16.eq(v, NEWLINES)), v128.or(i8x16.eq(v, TABS), i8x16.eq(v, RETURNS)));
      const mask = ~i8x16.bitmask(ws) & 0xffff;
      if (mask != 0) {
        p += ctz(mask);
        break;
      }
      p += 16;
    }
    if (p >= to) break;
    let c = at(p);
    let more = true;
    while (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09) {
      p++;
      if (p >= to) {
        more = false;
        break;
      }
      c = at(p);
    }
    if (!more) break;
    let closer = false;
    if (s == S_COLON) {
      if (c != 0x3a) return fail(p, s, SCAN_SYNTAX);
      s = S_VALUE;
      p++;
      continue;
    } else if (s == S_AFTER) {
      if (c == 0x2c) {
        s = (stackAt(dep) & 1) == 1 ? S_VALUE : S_KEY;
        p++;
        continue;
      }
      if (c == 0x7d || c == 0x5d) closer = true;
      else return fail(p, s, SCAN_SYNTAX);
    } else if (s == S_OBJ_FIRST || s == S_KEY) {
      if (c == 0x22) {
        strIsKey = true;
        strEscaped = false;
        if (cls >= C_ROOT) tokStart = p;
        s = S_STR;
        p++;
        continue;
      }
      if (c == 0x7d && s == S_OBJ_FIRST) closer = true;
      else return fail(p, s, SCAN_SYNTAX);
    } else if (s == S_DONE) {
      return fail(p, s, SCAN_SYNTAX);
    } else if (s == S_ARR_FIRST && c == 0x5d) {
      closer = true;
    }
    if (!closer) {
      // S_VALUE or S_ARR_FIRST: a value begins.
      const muted = mute;
      mute = false;
      const emitting = cls >= C_ROOT && !muted;
      if (dep == 0 && (c == 0x22 || c == 0x7b || c == 0x5b || c == 0x2d || (c >= 0x30 && c <= 0x39) || c == 0x74 || c == 0x66 || c == 0x6e)) begun = true;
      if (c == 0x22) {
        strIsKey = false;
        strEscaped = false;
        if (emitting) tokStart = p;
        s = S_STR;
        p++;
        continue;
      }
      if (c == 0x7b || c == 0x5b) {
        const isArr = c == 0x5b;
        let child = C_SKIP;
        if (muted) child = C_MUTE;
        else if (isArr) {
          if (cls == C_TOP) child = field == F_TOP_RESOURCES ? C_RESOURCES : field == F_TOP_OUTPUTS ? C_CAPTURE : C_SKIP;
          else if (cls == C_RESOURCE && field == F_RESOURCE_INSTANCES) child = C_INSTANCES;
          else if (cls == C_INSTANCE && field == F_INSTANCE_DEPENDENCIES) child = C_DEPS;
        } else if (cls == C_ROOT) child = C_TOP;
        else if (cls == C_RESOURCES) child = C_RESOURCE;
        else if (cls == C_INSTANCES) child = C_INSTANCE;
        else if (cls == C_TOP && field == F_TOP_OUTPUTS) child = C_CAPTURE;
        if (child == C_CAPTURE) rawStart = p;
        else if (child > C_ROOT) emit(isArr ? TOKEN_ARR_START : TOKEN_OBJ_START, p, p + 1);
        if (dep + 1 >= MAX_DEPTH) return fail(p, s, SCAN_TOO_DEEP);
        dep++;
        store<u8>(STACK_PTR + <usize>dep, <u8>((child << 1) | (isArr ? 1 : 0)));
        cls = child;
        s = isArr ? S_ARR_FIRST : S_OBJ_FIRST;
        p++;
        continue;
      }
      if (c == 0x2d || (c >= 0x30 && c <= 0x39)) {
        if (emitting) tokStart = p;
        s = c == 0x2d ? S_N_MINUS : c == 0x30 ? S_N_ZERO : S_N_INT;
        p++;
        continue;
      }
      if (c == 0x74 || c == 0x66 || c == 0x6e) {
        if (emitting) tokStart = p;
        lit = c == 0x74 ? 0 : c == 0x66 ? 1 : 2;
        litPos = 1;
        s = S_LIT;
        p++;
        continue;
      }
      return fail(p, s, SCAN_SYNTAX);
    }
    // A closer ('}' or ']') in a state that allows it.
    const top = stackAt(dep);
    const isArr = c == 0x5d;
    if ((top & 1) != (isArr ? 1 : 0)) return fail(p, s, SCAN_SYNTAX);
    const child = top >> 1;
    dep--;
    cls = dep == 0 ? C_ROOT : stackAt(dep) >> 1;
    if (cls >= C_ROOT && child != C_MUTE) {
      if (child == C_SKIP) emit(isArr ? TOKEN_SKIPPED_ARR : TOKEN_SKIPPED_OBJ, p, p + 1);
      else if (child == C_CAPTURE) {
        emit(TOKEN_CAPTURED, rawStart, p + 1);
        rawStart = -1;
      } else emit(isArr ? TOKEN_ARR_END : TOKEN_OBJ_END, p, p + 1);
    }
    p++;
    s = dep == 0 ? S_DONE : S_AFTER;
  }
  st = s;
  return p;
}
