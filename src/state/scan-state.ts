// Streaming tfstate reader: feeds byte chunks (a file stream, stdin, a buffer) through the scan kernel and
// assembles the same LoadedState as parseState, with each record's byte span, without ever building the whole
// document as one string. Memory is O(records + largest kept value), not O(file). Errors match parseState's codes.

import { TextDecoder } from 'node:util';
import { StateParseError } from '../errors.js';
import { sniffNonJson } from './parse-state.js';
import type { LoadedState } from './instance-record.js';
import { SCAN_EMPTY, SCAN_EOF, SCAN_OK, SCAN_TOO_DEEP, MAX_DEPTH, type ScanKernel } from './scan-kernel.js';
import { StateAssembler } from './state-assembler.js';
import { pickScanKernel } from './pick-scan-kernel.js';

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

/** Bytes examined by sniffNonJson (binary, compressed, encrypted), as parseState does. */
const HEAD_BYTES = 4096;
/** Input window of the kernel; it grows only when one kept value (e.g. `outputs`) is larger. */
const WINDOW_BYTES = 1 << 20;

const NOT_WHITESPACE = /\S/;

/**
 * After a syntax error, parseState's verdict depends on the text from the error on: whether it is all
 * whitespace (JavaScript's \s, as String#trim and trimEnd use) and, if nothing began before the error,
 * which character comes first. This reads the rest of the input for that, decoding it as Buffer#toString does.
 */
class ErrorTail {
  /** undefined while only whitespace has been seen from the error on. */
  firstChar: string | undefined;
  // NOTE: ignoreBOM keeps a leading U+FEFF, as Buffer#toString does in parseState.
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });

  push(bytes: Uint8Array): void {
    if (this.firstChar === undefined) this.find(this.decoder.decode(bytes, { stream: true }));
  }

  end(): void {
    if (this.firstChar === undefined) this.find(this.decoder.decode());
  }

  private find(text: string): void {
    const m = NOT_WHITESPACE.exec(text);
    if (m) this.firstChar = m[0];
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
    const sniffed = sniffNonJson(head, this.source);
    if (sniffed) throw sniffed;
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
    this.tail = new ErrorTail();
    this.tail.push(kernel.input().subarray(kernel.errorPos(), this.len));
  }

  /**
   * parseState's verdict on invalid JSON: empty if only whitespace; truncated if the document opens with
   * '{' or '[' and JSON.parse fails at its end (end of input, or a positioned error with only whitespace
   * after it); otherwise not JSON.
   */
  private syntaxError(tail: ErrorTail): StateParseError {
    const kernel = this.kernel;
    const started = kernel.started();
    if (!started && tail.firstChar === undefined) {
      return new StateParseError('STATE_EMPTY', `${this.source} is empty: no state has been written yet`);
    }
    const first = started ? String.fromCharCode(this.firstByte) : tail.firstChar;
    const offset = this.base + kernel.errorPos();
    const atEnd = kernel.status() === SCAN_EOF || (tail.firstChar === undefined && !kernel.errorInValue());
    if ((first === '{' || first === '[') && atEnd) {
      return new StateParseError('STATE_TRUNCATED', `${this.source} ends in the middle of the JSON document after ${offset} bytes: the file is truncated`, { offset });
    }
    return new StateParseError('STATE_NOT_JSON', `${this.source} is not valid JSON (syntax error at byte ${offset}): a tfstate is a JSON document`, { offset });
  }
}

/**
 * Reads a tfstate v4 from a stream of byte chunks (or one buffer) into a LoadedState identical to
 * `parseState`'s, each record carrying the byte span of its instance's first object. Chunks may split the
 * input anywhere. O(bytes) time; memory O(records) plus the largest kept value (`outputs`), never O(bytes).
 * @throws StateParseError, UnsupportedStateVersionError (same `code` as parseState for the same bytes)
 */
export async function scanState(source: AsyncIterable<Uint8Array> | Uint8Array, opts: ScanStateOptions = {}): Promise<LoadedState> {
  const kernel = await pickScanKernel(opts.kernel ?? 'auto');
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
