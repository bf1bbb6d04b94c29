// 'auto' runs the WebAssembly kernel when it is built and falls back to the TypeScript kernel when it cannot
// load; 'wasm' insists and reports WASM_KERNEL_UNAVAILABLE; the fallback reads states identically.
import { describe, expect, it } from 'vitest';
import { pickScanKernel } from '../../src/state/pick-scan-kernel.js';
import { WasmKernelUnavailableError } from '../../src/state/wasm-scan-kernel.js';

const broken = async () => {
  throw new WasmKernelUnavailableError('simulated');
};

describe('pickScanKernel', () => {
  it("uses the built WebAssembly kernel for 'auto'", async () => {
    const kernel = await pickScanKernel('auto');
    expect(kernel.name).toBe('wasm');
    kernel.release();
  });

  it("falls back to the TypeScript kernel for 'auto' when WebAssembly fails", async () => {
    expect((await pickScanKernel('auto', { wasm: broken })).name).toBe('js');
  });

  it("raises WASM_KERNEL_UNAVAILABLE for 'wasm' when it fails", async () => {
    await expect(pickScanKernel('wasm', { wasm: broken })).rejects.toMatchObject({ code: 'WASM_KERNEL_UNAVAILABLE' });
  });

  it("always gives the TypeScript kernel for 'js'", async () => {
    expect((await pickScanKernel('js')).name).toBe('js');
  });
});
