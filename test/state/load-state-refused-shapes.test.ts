// States Terraform refuses are refused by every way velocity loads a state, with one typed code and a message
// naming the offending address: parseState, the streaming scanner (js and wasm kernels, any chunking), the
// cached loader (loadStateGraph, whose cold path writes the snapshot); the near misses Terraform loads still load.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStateGraph } from '../../src/graph/load-state-graph.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { parseState } from '../../src/state/parse-state.js';
import { scanState } from '../../src/state/scan-state.js';
import { ACCEPTED_STATES, REFUSED_STATES, STRICTER_THAN_TERRAFORM } from '../support/refused-states.js';
import { chunked } from '../support/state-fixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'velocity-refused-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every loader, each ending in a StateGraph. */
const LOADERS: readonly [string, (text: string, file: string) => Promise<StateGraph>][] = [
  ['parseState', async (text) => StateGraph.fromState(parseState(text, 's'))],
  ['scanState js, 7-byte chunks', async (text) => StateGraph.fromState(await scanState(chunked(Buffer.from(text), [7]), { kernel: 'js', sourceName: 's' }))],
  ['scanState wasm, 1 chunk', async (text) => StateGraph.fromState(await scanState(Buffer.from(text), { kernel: 'wasm', sourceName: 's' }))],
  ['loadStateGraph (snapshot cache)', async (_text, file) => (await loadStateGraph(file, { cacheDir: join(scratch, 'cache'), env: {} })).graph],
];

async function failure(load: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await load();
  } catch (error) {
    return { code: String((error as { code?: unknown }).code), message: (error as Error).message };
  }
  return { code: 'LOADED', message: '' };
}

describe('states Terraform refuses', () => {
  it.each([...REFUSED_STATES, ...STRICTER_THAN_TERRAFORM].map((s, i) => [s.name, s, i] as const))('%s: refused with its code, naming the address', async (_name, state, i) => {
    const file = join(scratch, `refused-${i}.tfstate`);
    writeFileSync(file, state.text);
    for (const [loader, load] of LOADERS) {
      const { code, message } = await failure(() => load(state.text, file));
      expect(code, loader).toBe(state.code);
      expect(message, loader).toContain(state.address);
    }
    // Refused twice: no snapshot of a refused state is ever written or used.
    expect((await failure(() => loadStateGraph(file, { cacheDir: join(scratch, 'cache'), env: {} }))).code).toBe(state.code);
  });

  it.each(ACCEPTED_STATES.map((s, i) => [s.name, s, i] as const))('%s: loaded, as Terraform loads it', async (_name, state, i) => {
    const file = join(scratch, `accepted-${i}.tfstate`);
    writeFileSync(file, state.text);
    for (const [loader, load] of LOADERS) {
      const graph = await load(state.text, file);
      expect(graph.addresses().sort(), loader).toEqual(state.addresses);
    }
  });
});
