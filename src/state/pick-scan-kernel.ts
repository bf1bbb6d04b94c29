// Chooses the byte kernel for a scan: the WebAssembly one when it loads, else the pure TypeScript twin
// (identical output, slower). Loaders are injectable so the fallback is testable without breaking the build.

import { createJsScanKernel } from './js-scan-kernel.js';
import type { ScanKernel } from './scan-kernel.js';
import { loadWasmScanKernel } from './wasm-scan-kernel.js';

/** How kernels are obtained; the defaults are the real ones. */
export interface ScanKernelLoaders {
  wasm?: () => Promise<ScanKernel>;
  js?: () => ScanKernel;
}

/**
 * 'wasm' must load (WasmKernelUnavailableError otherwise); 'js' is always available; 'auto' tries wasm and
 * falls back to js on any failure. O(1) after the first wasm compile.
 */
export async function pickScanKernel(choice: 'auto' | 'wasm' | 'js', loaders: ScanKernelLoaders = {}): Promise<ScanKernel> {
  const wasm = loaders.wasm ?? loadWasmScanKernel;
  const js = loaders.js ?? createJsScanKernel;
  if (choice === 'js') return js();
  if (choice === 'wasm') return wasm();
  try {
    return await wasm();
  } catch {
    return js();
  }
}
