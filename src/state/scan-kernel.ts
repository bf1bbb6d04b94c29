// The contract between the streaming state scanner (orchestration, TypeScript) and its byte-level kernel
// (WebAssembly, or the pure TypeScript twin). The kernel validates JSON exactly as JSON.parse does, one
// resumable byte at a time, and writes the few tokens a tfstate reader needs (kind, byte range, hash).
//
// NOTE: these numbers are duplicated in wasm/scan-kernel.ts (AssemblyScript cannot import from src/);
// the kernel-agreement tests fail if the two ever drift apart.

/** Token kinds written by the kernel. A string or key token whose content holds a backslash has `TOKEN_ESCAPED` set. */
export const TOKEN_KEY = 1;
export const TOKEN_STRING = 2;
export const TOKEN_NUMBER = 3;
export const TOKEN_TRUE = 4;
export const TOKEN_FALSE = 5;
export const TOKEN_NULL = 6;
/** An object or array the scanner descends into (the top object, a resource, an instance, resources, instances, dependencies). */
export const TOKEN_OBJ_START = 7;
export const TOKEN_OBJ_END = 8;
export const TOKEN_ARR_START = 9;
export const TOKEN_ARR_END = 10;
/** An object or array value that was validated and skipped without materialising anything. */
export const TOKEN_SKIPPED_OBJ = 11;
export const TOKEN_SKIPPED_ARR = 12;
/** The raw byte span of a container kept whole (top-level `outputs`); its bytes are still in the input. */
export const TOKEN_CAPTURED = 13;
export const TOKEN_KIND_MASK = 0xff;
export const TOKEN_ESCAPED = 0x100;

/** How a scan ended (`status()` after `finish()`, or as soon as an error is seen). */
export const SCAN_OK = 0;
/** Invalid JSON at `errorPos()`. */
export const SCAN_SYNTAX = 1;
/** The input ended inside the document. */
export const SCAN_EOF = 2;
/** The input held nothing but JSON whitespace. */
export const SCAN_EMPTY = 3;
/** Nesting deeper than the kernel's stack (see `MAX_DEPTH`). */
export const SCAN_TOO_DEEP = 4;

/**
 * Int32 slots per token: [kind|flags, start, end, extra]. `extra` is, for a string token, the FNV-1a hash of
 * its raw content bytes (the assembler interns repeated strings by it without decoding them); for a KEY
 * token, the field id of the key (its index + 1 in the kernel's table of kept keys for that object; keys not
 * kept produce no token and their values none either); 0 otherwise.
 */
export const TOKEN_STRIDE = 4;

/** Most tokens one `scan` call writes before it returns early so the caller can drain them. */
export const TOKEN_CAPACITY = 16384;
/** Deepest nesting the kernel tracks (one byte per level). JSON.parse goes deeper only at absurd sizes. */
export const MAX_DEPTH = 1 << 20;

/**
 * A resumable JSON tokenizer specialised for tfstate v4. The caller copies bytes into `input()` and calls
 * `scan(from, to)`; the kernel keeps its whole state between calls, so a chunk may end anywhere (inside a
 * string, an escape, a number, a multi-byte character). Positions are offsets into `input()`.
 */
export interface ScanKernel {
  /** 'wasm' or 'js'. */
  readonly name: 'wasm' | 'js';
  /** The input window. Re-read after `reserve`: growing may move it. */
  input(): Uint8Array;
  /** Ensures `input()` holds at least `bytes` bytes; keeps its content. */
  reserve(bytes: number): void;
  /** Tokens, TOKEN_STRIDE slots each; valid until the next `scan`. Re-read after `reserve`. */
  tokens(): Int32Array;
  /**
   * Scans input[from, to). Returns where it stopped: `to`, or earlier when the token buffer filled up
   * (drain `tokenCount()` tokens and call again from there) or on an error (`status()` is then non-zero).
   */
  scan(from: number, to: number): number;
  /** Tokens written by the last `scan`/`finish`. */
  tokenCount(): number;
  /** Declares the end of input: completes a trailing top-level number and sets `status()`. */
  finish(to: number): void;
  status(): number;
  errorPos(): number;
  /**
   * Whether the error was seen where a value had to start (or inside true/false/null): JSON.parse reports
   * those without a position, which decides parseState's truncated-vs-not-JSON verdict.
   */
  errorInValue(): boolean;
  /** Whether the top-level value has begun (a non-whitespace byte was accepted at depth 0). */
  started(): boolean;
  /** Earliest input offset a pending token still needs, or `to` if none: bytes before it may be dropped. */
  keepFrom(to: number): number;
  /** Tells the kernel the caller dropped the first `delta` bytes of the input window. */
  shift(delta: number): void;
  /** The caller is done with this kernel; it may be reset and handed to a later scan. */
  release(): void;
}
