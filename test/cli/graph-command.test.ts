import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { graphExport } from '../../src/plan/graph-export.js';
import { runCli } from '../support/cli-harness.js';
import { EKS_FIXTURE, describeWithFixtures, fixtureGraph, fixturePath } from '../support/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'velocity-graph-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const state = fixturePath(EKS_FIXTURE);
const focus = 'module.vpc.aws_vpc.this[0]';

describeWithFixtures('velocity graph', () => {
  it('prints the library export on stdout (DOT by default) and exits 0', async () => {
    const r = await runCli(['graph', '--state', state, '--focus', focus]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(graphExport(fixtureGraph(EKS_FIXTURE), { format: 'dot', focus: [focus] }));
    expect(r.stderr).toContain('warning:');
  });

  it('--out writes the file; --cone and --depth restrict it; --group-by and --format are honoured', async () => {
    const out = join(dir, 'g.json');
    const r = await runCli(['graph', '--state', state, '--format', 'json', '--focus', focus, '--cone', 'bottom', '--depth', '1', '--group-by', 'type', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { nodes: { key: string; attributes: { group: string } }[]; attributes: { groupBy: string } };
    expect(doc.attributes.groupBy).toBe('type');
    expect(doc.nodes.map((n) => n.key)).toContain(focus);
    expect(doc.nodes.length).toBeLessThan(fixtureGraph(EKS_FIXTURE).size);
  });

  it('--state - reads the state from stdin', async () => {
    const r = await runCli(['graph', '--state', '-', '--format', 'mermaid'], { stdin: readFileSync(state) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(graphExport(fixtureGraph(EKS_FIXTURE), { format: 'mermaid' }));
  });

  it('usage errors exit 2: unknown format, cone without focus, bad depth, missing --state', async () => {
    for (const argv of [
      ['graph', '--state', state, '--format', 'png'],
      ['graph', '--state', state, '--cone', 'top'],
      ['graph', '--state', state, '--focus', focus, '--depth', 'x'],
      ['graph', '--format', 'dot'],
    ]) {
      const r = await runCli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toContain('error[USAGE]');
    }
  });

  it('an unknown focus address is a user error (exit 1, ADDRESS_UNKNOWN), never a stack trace', async () => {
    const r = await runCli(['graph', '--state', state, '--focus', 'aws_vpc.nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[ADDRESS_UNKNOWN]');
    expect(r.stderr).not.toContain('    at ');
  });

  it('an unwritable --out is a typed error (EXPORT_WRITE_FAILED)', async () => {
    const r = await runCli(['graph', '--state', state, '--out', join(dir, 'missing-dir', 'g.dot')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[EXPORT_WRITE_FAILED]');
  });
});
