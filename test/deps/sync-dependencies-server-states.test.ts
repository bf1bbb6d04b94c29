// `deps sync` for states on a velocity server: each producer is an http remote state at `<server>/tfstate/<guid>`
// with username velocity and never a password; logic ids with slashes get unique labels; the text parses as HCL
// and is the same for the same graph (the path local states take too: syncDependencies with a backendOf).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseHcl } from '../../src/config/hcl-parser.js';
import { DepsGraph } from '../../src/deps/deps-graph.js';
import { dependenciesBlock, syncDependencies } from '../../src/deps/sync-dependencies.js';
import { serverStateBackend } from '../../src/serve/backend-block.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

const SERVER = 'http://127.0.0.1:8080/';
const GUID: Readonly<Record<string, string>> = { 'team/net': '0190d5c4-0000-7000-8000-000000000001', 'team-net': '0190d5c4-0000-7000-8000-000000000002' };
const backendOf = (p: string) => serverStateBackend(SERVER, GUID[p] ?? 'unknown');

let ws: TempWorkspace;
beforeEach(() => (ws = tempWorkspace()));
afterEach(() => ws.cleanup());

function graph(): DepsGraph {
  const g = new DepsGraph();
  g.add({ producer: 'team/net', output: 'vpc', consumer: 'app' });
  g.add({ producer: 'team-net', output: 'zone', consumer: 'app', input: 'zone' });
  g.add({ producer: 'team/net', output: 'later', consumer: 'app', mock: 'vpc-0' });
  g.observeProducer('team/net', { serial: 1, lineage: 'L', outputs: { vpc: 'd1' }, readAt: '2026-01-01T00:00:00.000Z' });
  return g;
}

it('writes one http remote state per producer at <server>/tfstate/<guid>, username velocity, no password', async () => {
  const r = await syncDependencies(graph(), 'app', ws.dir, backendOf);
  expect(r).toEqual({ file: join(ws.dir, 'velocity_dependencies.tf'), changed: true });
  const text = readFileSync(r.file, 'utf8');
  expect(text).not.toMatch(/password/i);
  const hcl = (await parseHcl('velocity_dependencies.tf', text)) as { data: { terraform_remote_state: Record<string, { backend: string; config: unknown }[]> }; locals: Record<string, string>[] };
  expect(hcl.data.terraform_remote_state).toEqual({
    // Labels in name order: 'team-net' sorts before 'team/net'.
    team_net: [{ backend: 'http', config: { address: `http://127.0.0.1:8080/tfstate/${GUID['team-net']}`, username: 'velocity' } }],
    team_net_2: [{ backend: 'http', config: { address: `http://127.0.0.1:8080/tfstate/${GUID['team/net']}`, username: 'velocity' } }],
  });
  expect(hcl.locals).toEqual([{ team_net_later: 'vpc-0', team_net_vpc: '${data.terraform_remote_state.team_net_2.outputs.vpc}', zone: '${data.terraform_remote_state.team_net.outputs.zone}' }]);
  expect(dependenciesBlock(graph(), 'app', backendOf)).toBe(text);
  expect(await syncDependencies(graph(), 'app', ws.dir, backendOf)).toEqual({ file: r.file, changed: false });
});
