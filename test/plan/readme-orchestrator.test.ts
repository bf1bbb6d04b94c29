// The README's orchestrator example (prepare → lock → execute → unlock), run exactly as written against the BUILT
// package entry (dist/index.js; a dist/ older than src/ is refused: run `npm run build`) and the sim provider: the
// example is cut out of README.md, only its `from 'velocity-tf'` is pointed at dist/index.js.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terraformAvailable, useSimSession } from '../support/sim/index.js';
import { assertFreshBuild } from '../support/built-package.js';

const root = resolve(import.meta.dirname, '../..');

/** The fenced block after `<!-- orchestrator-example -->` in README.md. */
function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const m = /<!-- orchestrator-example -->\n```js\n([\s\S]*?)\n```/.exec(readme);
  if (!m) throw new Error('README.md has no orchestrator example');
  return m[1] as string;
}

interface Example {
  planChange(dir: string, changed: string[], options: { env: NodeJS.ProcessEnv; locks: unknown }): Promise<{ mode: string; exitCode: number; refreshed: number; total: number; locked: string[]; scope?: { refresh: string[] } }>;
}

describe.skipIf(!terraformAvailable())('the README orchestrator example on the built package (skipped only without terraform)', () => {
  const session = useSimSession({ workspace: { customers: 3, tunnelsPerCustomer: 2, devicesPerCustomer: 4, withState: true }, sim: { inProcess: true } });
  let tmp: string;
  let example: Example;
  let dist: Record<string, unknown>;
  beforeAll(async () => {
    assertFreshBuild(); // NOTE: built once by the global setup, never here: other tests run the built CLI meanwhile
    tmp = mkdtempSync(join(tmpdir(), 'velocity-readme-'));
    const entry = pathToFileURL(join(root, 'dist', 'index.js')).href;
    const file = join(tmp, 'orchestrator-example.mjs');
    writeFileSync(file, readmeExample().replace(/from 'velocity-tf'/g, `from '${entry}'`));
    example = (await import(pathToFileURL(file).href)) as Example;
    dist = (await import(entry)) as Record<string, unknown>;
  }, 300_000);
  afterAll(() => tmp && rmSync(tmp, { recursive: true, force: true }));

  it('plans a one-device change, holding exactly the prepared refresh set while it runs, and unlocks', async () => {
    const s = session();
    const env = { ...process.env, ...s.sim.reattachEnv() };
    const customer = s.workspace.customers[1] as string;
    const device = s.workspace.device(customer, s.workspace.devices[2] as string).address;
    const Manager = dist['MemoryResourceLockManager'] as new () => { lockResources(r: string[], info: unknown): Promise<{ unlock(): Promise<void>; resources: readonly string[] }>; locks(): Promise<unknown[]> };
    const newLockInfo = dist['newLockInfo'] as (o: object) => unknown;
    const locks = new Manager();
    let heldDuringRun: string[] = [];
    // Observe what is held while the binary runs: wrap lockResources.
    const spy = {
      lockResources: async (r: string[], info: unknown) => {
        const handle = await locks.lockResources(r, info);
        heldDuringRun = [...handle.resources];
        return handle;
      },
    };
    const result = await example.planChange(s.workspace.dir, [device], { env, locks: spy });
    expect(result.exitCode).toBe(0);
    expect(result.mode).toBe('optimized');
    expect(result.locked).toEqual(heldDuringRun);
    expect(result.locked).toContain(device);
    // Inject mode (the default): the site is an input served from state as a literal, not read, so not locked.
    expect(result.locked).not.toContain(s.workspace.site(customer).address);
    expect(result.refreshed).toBeGreaterThan(0);
    expect(result.refreshed).toBeLessThan(result.total);
    // Unlocked: the same set can be locked again at once.
    const again = await locks.lockResources([...result.locked], newLockInfo({ info: 'after' }));
    await again.unlock();
    expect(await locks.locks()).toEqual([]);
  }, 300_000);
});
