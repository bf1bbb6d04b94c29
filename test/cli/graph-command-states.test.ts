// `velocity graph --states`: the graph of states in every text format, byte-stable (golden files; the HTML page, whose
// bulk is the viewer already pinned by the resource-graph goldens, is checked for its graph and title), with the stale
// state as the focus and the states downstream of it as its refresh cone; flags of the resource graph are refused.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeDepsGraph } from '../../src/deps/deps-file.js';
import { DepsGraph } from '../../src/deps/deps-graph.js';
import { runCli } from '../support/cli-harness.js';
import { expectGolden } from '../support/golden.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

let ws: TempWorkspace;
let file: string;
beforeAll(async () => {
  ws = tempWorkspace();
  file = join(ws.dir, 'deps.json');
  const g = new DepsGraph();
  g.add({ producer: 'net', output: 'vpc', consumer: 'app' });
  g.add({ producer: 'net', output: 'zone', consumer: 'app' });
  g.add({ producer: 'app', output: 'endpoint', consumer: 'edge', observed: 'e1' });
  g.add({ producer: 'net', output: 'zone', consumer: 'dns', observed: 'd1' });
  g.observeProducer('net', { serial: 2, lineage: 'L', outputs: { vpc: 'd2', zone: 'd1' }, readAt: '2026-01-01T00:00:00.000Z' });
  g.observeProducer('app', { serial: 1, lineage: 'M', outputs: { endpoint: 'e1' }, readAt: '2026-01-01T00:00:00.000Z' });
  await writeDepsGraph({ file, base: ws.dir }, g);
});
afterAll(() => ws?.cleanup());

it('exports the graph of states in every text format, the same bytes each time', async () => {
  for (const format of ['dot', 'mermaid', 'json', 'graphml', 'gexf', 'html']) {
    const r = await runCli(['graph', '--states', '--deps', file, '--format', format]);
    expect(r.code, r.stderr).toBe(0);
    if (format !== 'html') expectGolden(`states.${format}`, r.stdout);
    else for (const text of ['<title>velocity states</title>', 'address":["app"', '"dns"', '"edge"', '"net"']) expect(r.stdout).toContain(text);
    expect((await runCli(['graph', '--states', '--deps', file, '--format', format])).stdout).toBe(r.stdout);
  }
  const view = JSON.parse((await runCli(['graph', '--states', '--deps', file, '--format', 'json'])).stdout) as { nodes: { key: string; attributes: { role?: string } }[] };
  expect(Object.fromEntries(view.nodes.map((n) => [n.key, n.attributes.role]))).toEqual({ app: 'changed', dns: 'untouched', edge: 'refresh', net: 'untouched' });
});

it('refuses the resource-graph flags with --states, and --deps without it', async () => {
  for (const args of [['--states', '--focus', 'x'], ['--states', '--state', 'f'], ['--deps', file]]) {
    const r = await runCli(['graph', ...args]);
    expect([r.code, r.stderr], args.join(' ')).toEqual([2, expect.stringContaining('error[USAGE]')]);
  }
});
