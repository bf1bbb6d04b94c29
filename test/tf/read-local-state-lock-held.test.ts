// The local state read keeps Terraform's fcntl lock for the whole read. POSIX drops a process's fcntl lock when it
// closes ANY descriptor of the file, so the loader must open the state once: with a cached snapshot of the same
// size, loadStateGraph used to hash the file first (open, close: lock gone) and then read it again unlocked.
// Checked from another process, which is what Terraform is.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStateGraph, type LoadStateGraphOptions } from '../../src/graph/load-state-graph.js';
import { readLocalState } from '../../src/tf/read-local-state.js';
import { scanState } from '../../src/state/scan-state.js';
import { stateJson } from '../support/state-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'velocity-lockheld-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = join(dir, 'terraform.tfstate');
const cacheDir = join(dir, 'cache');
const adapterModule = resolve(import.meta.dirname, '../../src/lock/local-file-lock-adapter.ts');

/** Who holds the lock, as another process sees it (undefined: nobody). */
function holderSeenFromOutside(): string | null {
  const script = `import(${JSON.stringify(adapterModule)}).then(async (m) => { const h = await new m.LocalFileLockAdapter(${JSON.stringify(path)}).inspect(); process.stdout.write(JSON.stringify(h ? h.Info : null)); })`;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' })) as string | null;
}

describe('readLocalState under the lock', () => {
  it('holds the lock while the state is read, when a same-size snapshot entry exists', async () => {
    writeFileSync(path, stateJson([{ type: 'terraform_data', name: 'a' }], { lineage: 'aaaa' }));
    await loadStateGraph(path, { cacheDir }); // the cache now knows this size
    writeFileSync(path, stateJson([{ type: 'terraform_data', name: 'b' }], { lineage: 'bbbb' })); // same size, new bytes
    let seen: string | null | undefined;
    // Looks from outside while the state's bytes are being read (after the first chunk).
    async function* watched(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
      for await (const c of chunks) {
        seen ??= holderSeenFromOutside();
        yield c;
      }
    }
    const load = (p: string, options: LoadStateGraphOptions) => loadStateGraph(p, { ...options, parse: (chunks, name) => scanState(watched(chunks), { sourceName: name }) });
    const read = await readLocalState(path, { load, loadOptions: { cacheDir } });
    expect(read.kind).toBe('read');
    if (read.kind === 'read') expect(read.loaded.graph.meta.lineage).toBe('bbbb');
    expect(seen).toBe('velocity: reading the state for a scoped plan');
    expect(holderSeenFromOutside()).toBeNull(); // released afterwards
  });
});
