// `velocity graph --states --server URL [--token-file F]`: the graph of a velocity server's states, byte for byte
// what the local export of the same graph gives in every text format (stale state as the focus, downstream as its
// cone); --server without --states, with --deps, and --token-file without --server are usage errors.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { writeDepsGraph } from '../../src/deps/deps-file.js';
import { ServeClient } from '../../src/serve/serve-client.js';
import { startServeFixture, type ServeFixture } from '../serve/helpers/serve-fixture.js';
import { runCli } from '../support/cli-harness.js';
import { writeOutputs } from '../support/serve-outputs.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

const TOKEN = 'graph-token';
let fx: ServeFixture;
let ws: TempWorkspace;
let file: string;
beforeAll(async () => {
  fx = await startServeFixture(inject('pgUrl'), { token: TOKEN });
  ws = tempWorkspace({ token: TOKEN });
  const guid: Record<string, string> = {};
  for (const s of ['net', 'app', 'edge', 'dns']) guid[s] = await fx.newState(s);
  const c = new ServeClient(fx.server.url, TOKEN);
  for (const [p, o, d] of [['net', 'vpc', 'app'], ['net', 'zone', 'dns'], ['app', 'endpoint', 'edge']] as const) await c.depsAdd({ producer: p, output: o, consumer: d });
  await writeOutputs(fx, guid['net'] as string, 1, { vpc: 'v1', zone: 'z1' }, TOKEN);
  await writeOutputs(fx, guid['app'] as string, 1, { endpoint: 'e1' }, TOKEN);
  for (const s of ['app', 'dns', 'edge']) await c.depsAck(s);
  await writeOutputs(fx, guid['net'] as string, 2, { vpc: 'v2', zone: 'z1' }, TOKEN);
  // The same graph as a local file: what the local export of it gives is what the server's must give.
  file = join(ws.dir, 'deps.json');
  await writeDepsGraph({ file, base: ws.dir }, await c.depsGraph());
});
afterAll(async () => {
  await fx?.close();
  ws?.cleanup();
});

it("exports the server's graph of states as the local export of the same graph, in every text format", async () => {
  for (const format of ['dot', 'mermaid', 'json', 'graphml', 'gexf', 'html']) {
    const r = await runCli(['graph', '--states', '--server', fx.server.url, '--token-file', 'token', '--format', format], { cwd: ws.dir, env: {} });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout, format).toBe((await runCli(['graph', '--states', '--deps', file, '--format', format])).stdout);
  }
  const view = await runCli(['graph', '--states', '--server', fx.server.url, '--format', 'json'], { cwd: ws.dir, env: { VELOCITY_TOKEN: TOKEN } });
  const nodes = (JSON.parse(view.stdout) as { nodes: { key: string; attributes: { role?: string } }[] }).nodes;
  expect(Object.fromEntries(nodes.map((n) => [n.key, n.attributes.role]))).toEqual({ app: 'changed', dns: 'untouched', edge: 'refresh', net: 'untouched' });
});

it('refuses --server without --states or with --deps, and --token-file without --server', async () => {
  for (const args of [['--server', fx.server.url], ['--states', '--server', fx.server.url, '--deps', file], ['--states', '--token-file', 'token']]) {
    const r = await runCli(['graph', ...args], { cwd: ws.dir, env: {} });
    expect([r.code, r.stderr], args.join(' ')).toEqual([2, expect.stringContaining('error[USAGE]')]);
  }
});
