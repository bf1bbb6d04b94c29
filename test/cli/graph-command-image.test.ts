// `velocity graph --format svg|png` draws the reduced DOT with the real Graphviz `dot`; without `dot` on PATH it
// fails with EXPORT_GRAPHVIZ_MISSING (exit 1) naming the package, and png without --out is a usage error.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphvizMissingError } from '../../src/export/export-errors.js';
import { graphImage } from '../../src/plan/graph-export.js';
import { runCli } from '../support/cli-harness.js';
import { EKS_FIXTURE, fixtureGraph, fixturePath } from '../support/fixtures.js';

const hasDot = spawnSync('dot', ['-V']).status === 0;
// .ci/run installs Graphviz, so CI never skips these: a CI run without `dot` is a broken setup, not a skip.
if (!hasDot && process.env['CI']) throw new Error('CI is set but Graphviz `dot` is not on PATH: .ci/run installs it (apt-get install graphviz)');
const dir = mkdtempSync(join(tmpdir(), 'velocity-graph-image-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const state = fixturePath(EKS_FIXTURE);
const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', VELOCITY_CACHE_DIR: join(dir, 'cache') };

describe.skipIf(!hasDot)('velocity graph --format svg|png (skipped only when Graphviz `dot` is not on PATH)', () => {
  it('svg on stdout: one <g class="node"> per instance, one edge per reduced edge', async () => {
    const r = await runCli(['graph', '--state', state, '--format', 'svg'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<svg');
    expect([...r.stdout.matchAll(/class="node"/g)].length).toBe(fixtureGraph(EKS_FIXTURE).size);
    const json = await runCli(['graph', '--state', state, '--format', 'json'], { env });
    expect([...r.stdout.matchAll(/class="edge"/g)].length).toBe((JSON.parse(json.stdout) as { edges: unknown[] }).edges.length);
  });

  it('png to --out: a PNG file', async () => {
    const out = join(dir, 'g.png');
    const r = await runCli(['graph', '--state', state, '--format', 'png', '--out', out], { env });
    expect(r.code).toBe(0);
    expect(readFileSync(out).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });
});

describe('without Graphviz', () => {
  it('is EXPORT_GRAPHVIZ_MISSING naming the package, exit 1', async () => {
    const missing = { PATH: join(dir, 'no-such-dir'), VELOCITY_CACHE_DIR: join(dir, 'cache') };
    let caught: unknown;
    try {
      graphImage(fixtureGraph(EKS_FIXTURE), 'svg', { env: missing });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GraphvizMissingError);
    expect((caught as GraphvizMissingError).code).toBe('EXPORT_GRAPHVIZ_MISSING');
    expect((caught as GraphvizMissingError).package).toBe('graphviz');
    const r = await runCli(['graph', '--state', state, '--format', 'svg'], { env: missing });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('EXPORT_GRAPHVIZ_MISSING');
  });

  it('png without --out is a usage error (exit 2)', async () => {
    const r = await runCli(['graph', '--state', state, '--format', 'png'], { env });
    expect(r.code).toBe(2);
  });
});
