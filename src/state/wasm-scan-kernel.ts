// Loads the WebAssembly scan kernel (built from wasm/scan-kernel.ts by `npm run build` into dist/wasm/) and
// adapts it to the ScanKernel contract. The module is compiled once per process; each scan gets its own instance.
// Throws WasmKernelUnavailableError when the binary is missing or cannot be instantiated (scanState('auto') falls back).

import { readFile } from 'node:fs/promises';
import { VelocityError } from '../errors.js';
import { TOKEN_CAPACITY, TOKEN_STRIDE, type ScanKernel } from './scan-kernel.js';

/** The WebAssembly kernel could not be loaded (not built, or the runtime refused it). */
export class WasmKernelUnavailableError extends VelocityError {
  constructor(reason: string, cause?: unknown) {
    super('WASM_KERNEL_UNAVAILABLE', `the WebAssembly scan kernel is unavailable (${reason}); run \`npm run build\``, { cause });
  }
}

// NOTE: @types/node 20 (no DOM lib) does not type the WebAssembly global; this is the part we use.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
type WasmModule = object;
interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: Record<string, Record<string, unknown>>): Promise<{ exports: unknown }>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface KernelExports {
  memory: WasmMemory;
  reset(): void;
  inputPtr(): number;
  tokensPtr(): number;
  inputCapacity(): number;
  reserve(bytes: number): number;
  scan(from: number, to: number): number;
  tokenCount(): number;
  finish(to: number): void;
  status(): number;
  errorPos(): number;
  errorInValue(): number;
  started(): number;
  keepFrom(to: number): number;
  shift(delta: number): void;
}

/** Where the binary may be: next to the compiled loader (dist/state → dist/wasm) or, from sources, in dist/wasm. */
const CANDIDATES = [new URL('../wasm/scan-kernel.wasm', import.meta.url), new URL('../../dist/wasm/scan-kernel.wasm', import.meta.url)];

let compiled: Promise<WasmModule> | undefined;

/**
 * Idle kernels, reused by later scans. NOTE: instantiating a module and growing its memory costs ~50 ms
 * (the runtime reserves address space per memory); pooling makes small scans cheap.
 */
const pool: WasmScanKernel[] = [];
const POOL_SIZE = 4;
/** A kernel whose window grew beyond this (a huge `outputs`) is dropped rather than pooled. */
const POOL_MAX_WINDOW = 16 << 20;

async function compile(): Promise<WasmModule> {
  let lastError: unknown;
  for (const url of CANDIDATES) {
    let bytes: Buffer;
    try {
      bytes = await readFile(url);
    } catch (error) {
      lastError = error;
      continue;
    }
    return wasmApi.compile(bytes);
  }
  throw new WasmKernelUnavailableError('dist/wasm/scan-kernel.wasm not found', lastError);
}

class WasmScanKernel implements ScanKernel {
  readonly name = 'wasm' as const;
  private readonly x: KernelExports;
  private inputView: Uint8Array | null = null;
  private tokenView: Int32Array | null = null;

  constructor(exports: KernelExports) {
    this.x = exports;
    this.x.reset();
  }

  private refresh(): void {
    const buffer = this.x.memory.buffer;
    if (this.inputView === null || this.inputView.buffer !== buffer) {
      // NOTE: growing wasm memory detaches old views; rebuild them lazily.
      this.inputView = new Uint8Array(buffer, this.x.inputPtr(), this.x.inputCapacity());
      this.tokenView = new Int32Array(buffer, this.x.tokensPtr(), TOKEN_CAPACITY * TOKEN_STRIDE);
    }
  }

  input(): Uint8Array {
    this.refresh();
    return this.inputView!;
  }

  reserve(bytes: number): void {
    if (this.x.reserve(bytes) === 0) throw new RangeError(`cannot grow the WebAssembly scan window to ${bytes} bytes`);
    this.refresh();
  }

  tokens(): Int32Array {
    this.refresh();
    return this.tokenView!;
  }

  scan(from: number, to: number): number {
    return this.x.scan(from, to);
  }

  tokenCount(): number {
    return this.x.tokenCount();
  }

  finish(to: number): void {
    this.x.finish(to);
  }

  status(): number {
    return this.x.status();
  }

  errorPos(): number {
    return this.x.errorPos();
  }

  errorInValue(): boolean {
    return this.x.errorInValue() !== 0;
  }

  started(): boolean {
    return this.x.started() !== 0;
  }

  keepFrom(to: number): number {
    return this.x.keepFrom(to);
  }

  shift(delta: number): void {
    this.x.shift(delta);
  }

  release(): void {
    if (pool.length < POOL_SIZE && this.x.inputCapacity() <= POOL_MAX_WINDOW && !pool.includes(this)) {
      this.x.reset();
      pool.push(this);
    }
  }
}

/** A WebAssembly kernel of its own (fresh or reset from the pool). Compiles the module on first use. */
export async function loadWasmScanKernel(): Promise<ScanKernel> {
  const idle = pool.pop();
  if (idle !== undefined) return idle;
  compiled ??= compile();
  let module: WasmModule;
  try {
    module = await compiled;
  } catch (error) {
    compiled = undefined;
    if (error instanceof WasmKernelUnavailableError) throw error;
    throw new WasmKernelUnavailableError('the binary does not compile', error);
  }
  try {
    const instance = await wasmApi.instantiate(module, {
      env: {
        abort: () => {
          throw new Error('scan kernel aborted');
        },
      },
    });
    return new WasmScanKernel(instance.exports as unknown as KernelExports);
  } catch (error) {
    throw new WasmKernelUnavailableError('the binary does not instantiate', error);
  }
}
