// Streaming tfstate reader: feeds byte chunks (a file stream, stdin, a buffer) through the scan kernel and
// assembles the same LoadedState as parseState, with each record's byte span, without ever building the whole
// document as one string. Memory is O(records + largest kept value), not O(file). Errors match parseState's codes.

import { TextDecoder } from 'node:util';
import { StateParseError } from '../errors.js';
import type { LoadedState } from './instance-record.js';
import { createJsScanKernel } from './js-scan-kernel.js';
import { SCAN_EMPTY, SCAN_EOF, SCAN_OK, SCAN_TOO_DEEP, MAX_DEPTH, type ScanKernel } from './scan-kernel.js';
import { StateAssembler } from './state-assembler.js';
import { loadWasmScanKernel } from './wasm-scan-kernel.js';

/** Options of {@link scanState}. */
export interface ScanStateOptions {
  /** Name used in error messages (a path, `stdin`, a URL). @default 'state' */
  sourceName?: string;
  /**
   * Which byte kernel to run: 'wasm' (fails if the WebAssembly cannot be loaded), 'js' (pure TypeScript),
   * or 'auto' (wasm, falling back to js). Both give identical results. @default 'auto'
   */
  kernel?: 'auto' | 'wasm' | 'js';
  /** Called after each chunk with the total bytes read so far. */
  onProgress?: (bytesRead: number) => void;
}

/** Bytes examined for the binary check, as parseState does. */
const HEAD_BYTES = 4096;
/** Input window of the kernel; it grows only when one kept value (e.g. `outputs`) is larger. */
const WINDOW_BYTES = 1 << 20;

async function pickKernel(choice: 'auto' | 'wasm' | 'js'): Promise<ScanKernel> {
  if (choice === 'js') return createJsScanKernel();
  if (choice === 'wasm') return loadWasmScanKernel();
  try {
    return await loadWasmScanKernel();
  } catch {
    return createJsScanKernel();
  }
}

/** parseState's binary test on the first bytes: gzip or zip magic, or a NUL byte. */
function looksBinary(head: Uint8Array): boolean {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return true;
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return true;
  const n = Math.min(head.length, HEAD_BYTES);
  for (let i = 0; i < n; i++) if (head[i] === 0) return true;
  return false;
}

const NOT_WHITESPACE = /\S/;

/**
 * After a syntax error the document is invalid, but parseState's verdict (truncated vs not JSON vs empty)
 * depends on the rest of the text: this continues parseState's bracket count over the remaining bytes.
 */
class ErrorTail {
  depth: number;
  inString: boolean;
  escape: boolean;
  /** undefined while only whitespace (JavaScript's \s, as String.trim) has been seen since the error. */
  firstChar: string | undefined;
  private readonly decoder: TextDecoder | null;

  constructor(depth: number, stringState: number, needFirstChar: boolean) {
    this.depth = depth;
    this.inString = stringState !== 0;
    this.escape = stringState === 2;
    // NOTE: ignoreBOM keeps a leading U+FEFF, as Buffer#toString does in parseState.
    this.decoder = needFirstChar ? new TextDecoder('utf-8', { ignoreBOM: true }) : null;
  }

  push(bytes: Uint8Array): void {
    let { depth, inString, escape } = this;
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i]!;
      if (escape) escape = false;
      else if (inString) {
        if (c === 0x5c) escape = true;
        else if (c === 0x22) inString = false;
      } else if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) depth--;
    }
    this.depth = depth;
    this.inString = inString;
    this.escape = escape;
    if (this.decoder && this.firstChar === undefined) this.findFirst(this.decoder.decode(bytes, { stream: true }));
  }

  end(): void {
    if (this.decoder && this.firstChar === undefined) this.findFirst(this.decoder.decode());
  }

  private findFirst(text: string): void {
    const m = NOT_WHITESPACE.exec(text);
    if (m) this.firstChar = m[0];
  }

  unbalanced(): boolean {
    return this.depth > 0 || this.inString;
  }
}

/** Pushes chunks through one kernel; see {@link scanState}. */
class ScanDriver {
  private readonly kernel: ScanKernel;
  private readonly source: string;
  private readonly assembler: StateAssembler;
  private readonly onProgress: ((bytesRead: number) => void) | undefined;
  private head: Uint8Array[] | null = [];
  private headBytes = 0;
  private bytesRead = 0;
  /** Bytes held in the kernel window, and the absolute offset of the window's first byte. */
  private len = 0;
  private base = 0;
  private firstByte = -1;
  private tail: ErrorTail | null = null;
  private view: Buffer | null = null;

  constructor(kernel: ScanKernel, source: string, onProgress?: (bytesRead: number) => void) {
    this.kernel = kernel;
    this.source = source;
    this.assembler = new StateAssembler(source);
    this.onProgress = onProgress;
    kernel.reserve(WINDOW_BYTES);
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.bytesRead += chunk.length;
    if (this.head !== null) {
      // Hold the first bytes back until the binary check can run, as parseState checks before parsing.
      this.head.push(chunk);
      this.headBytes += chunk.length;
      if (this.headBytes >= HEAD_BYTES) this.releaseHead();
    } else {
      this.feed(chunk);
    }
    this.onProgress?.(this.bytesRead);
  }

  end(): LoadedState {
    if (this.head !== null) this.releaseHead();
    if (this.tail === null) {
      this.kernel.finish(this.len);
      this.drain();
      const status = this.kernel.status();
      if (status === SCAN_EMPTY) throw new StateParseError('STATE_EMPTY', `${this.source} is empty: no state has been written yet`);
      if (status === SCAN_EOF) this.startTail();
    }
    if (this.tail !== null) {
      this.tail.end();
      throw this.syntaxError(this.tail);
    }
    return this.assembler.result();
  }

  private releaseHead(): void {
    const chunks = this.head!;
    this.head = null;
    // NOTE: only the first HEAD_BYTES are copied for the check; the chunks themselves are fed as they are.
    const head = new Uint8Array(Math.min(this.headBytes, HEAD_BYTES));
    let at = 0;
    for (const c of chunks) {
      if (at >= head.length) break;
      const n = Math.min(c.length, head.length - at);
      head.set(c.subarray(0, n), at);
      at += n;
    }
    if (looksBinary(head)) {
      throw new StateParseError('STATE_BINARY', `${this.source} is binary data, not a JSON state (compressed or encrypted?)`);
    }
    for (const c of chunks) this.feed(c);
  }

  private feed(chunk: Uint8Array): void {
    if (this.firstByte < 0) {
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk[i]!;
        if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
          this.firstByte = c;
          break;
        }
      }
    }
    let off = 0;
    while (off < chunk.length) {
      if (this.tail !== null) {
        this.tail.push(chunk.subarray(off));
        return;
      }
      this.makeRoom(chunk.length - off);
      const input = this.kernel.input();
      const n = Math.min(chunk.length - off, input.length - this.len);
      input.set(chunk.subarray(off, off + n), this.len);
      const from = this.len;
      this.len += n;
      off += n;
      this.run(from, this.len);
    }
  }

  /** Drops bytes no pending token needs; grows the window only when a kept value fills it. */
  private makeRoom(wanted: number): void {
    const kernel = this.kernel;
    if (kernel.input().length - this.len >= wanted) return;
    const keep = kernel.keepFrom(this.len);
    if (keep > 0) {
      kernel.input().copyWithin(0, keep, this.len);
      kernel.shift(keep);
      this.base += keep;
      this.len -= keep;
    }
    if (this.len === kernel.input().length) kernel.reserve(this.len * 2);
  }

  private run(from: number, to: number): void {
    const kernel = this.kernel;
    let p = from;
    for (;;) {
      p = kernel.scan(p, to);
      this.drain();
      if (kernel.status() !== SCAN_OK) {
        this.startTail();
        return;
      }
      if (p >= to) return;
    }
  }

  private drain(): void {
    const n = this.kernel.tokenCount();
    if (n === 0) return;
    const input = this.kernel.input();
    if (this.view === null || this.view.buffer !== input.buffer || this.view.byteOffset !== input.byteOffset || this.view.length !== input.length) {
      this.view = Buffer.from(input.buffer, input.byteOffset, input.length);
    }
    this.assembler.consume(this.kernel.tokens(), n, this.view, this.base);
  }

  private startTail(): void {
    const kernel = this.kernel;
    if (kernel.status() === SCAN_TOO_DEEP) {
      throw new StateParseError('STATE_NOT_JSON', `${this.source} nests values deeper than ${MAX_DEPTH} levels`, { offset: this.base + kernel.errorPos() });
    }
    const pos = kernel.errorPos();
    this.tail = new ErrorTail(kernel.depth(), kernel.stringState(), !kernel.started());
    this.tail.push(kernel.input().subarray(pos, this.len));
  }

  /** parseState's verdict on invalid JSON: empty if only whitespace, truncated if it opened and never closed. */
  private syntaxError(tail: ErrorTail): StateParseError {
    const started = this.kernel.started();
    if (!started && tail.firstChar === undefined) {
      return new StateParseError('STATE_EMPTY', `${this.source} is empty: no state has been written yet`);
    }
    const first = started ? String.fromCharCode(this.firstByte) : tail.firstChar;
    const offset = this.base + this.kernel.errorPos();
    if ((first === '{' || first === '[') && tail.unbalanced()) {
      return new StateParseError('STATE_TRUNCATED', `${this.source} ends in the middle of the JSON document (truncated? ${this.bytesRead} bytes read)`, { offset: this.bytesRead });
    }
    return new StateParseError('STATE_NOT_JSON', `${this.source} is not JSON (syntax error at byte ${offset}): a tfstate is a JSON document`, { offset });
  }
}

/**
 * Reads a tfstate v4 from a stream of byte chunks (or one buffer) into a LoadedState identical to
 * `parseState`'s, each record carrying the byte span of its instance's first object. Chunks may split the
 * input anywhere. O(bytes) time; memory O(records) plus the largest kept value (`outputs`), never O(bytes).
 * @throws StateParseError, UnsupportedStateVersionError (same `code` as parseState for the same bytes)
 */
export async function scanState(source: AsyncIterable<Uint8Array> | Uint8Array, opts: ScanStateOptions = {}): Promise<LoadedState> {
  const kernel = await pickKernel(opts.kernel ?? 'auto');
  try {
    const driver = new ScanDriver(kernel, opts.sourceName ?? 'state', opts.onProgress);
    if (source instanceof Uint8Array) {
      driver.push(source);
    } else {
      for await (const chunk of source) {
        driver.push(typeof chunk === 'string' ? Buffer.from(chunk as string, 'utf8') : chunk);
      }
    }
    return driver.end();
  } finally {
    kernel.release();
  }
}
