// `velocity deps ... --server URL` on a real velocity server (with a token): add, ls, status, order and ack run on
// the server's graph, states named by logic id (slashes too) or guid; the JSON is the shape the local commands
// print; a producer's write is seen at once; refresh has nothing to read; rm removes. The token comes from
// --token-file or $VELOCITY_TOKEN, and $VELOCITY_SERVER alone never sends deps to the server.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { startServeFixture, type ServeFixture } from '../serve/helpers/serve-fixture.js';
import { runCli } from '../support/cli-harness.js';
import { writeOutputs } from '../support/serve-outputs.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

const TOKEN = 'deps-cli-token';
let fx: ServeFixture;
let ws: TempWorkspace;
const guid: Record<string, string> = {};
beforeAll(async () => {
  fx = await startServeFixture(inject('pgUrl'), { token: TOKEN });
  ws = tempWorkspace({ token: `${TOKEN}\n` });
  for (const s of ['team/net', 'app', 'edge']) guid[s] = await fx.newState(s);
});
afterAll(async () => {
  await fx?.close();
  ws?.cleanup();
});
const deps = (...args: string[]) => runCli(['deps', ...args, '--server', fx.server.url, '--token-file', 'token'], { cwd: ws.dir, env: {} });
const json = async (...args: string[]): Promise<unknown> => {
  const r = await deps(...args, '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};
const statuses = async (): Promise<Record<string, string>> => Object.fromEntries(((await json('status')) as { state: string; status: string }[]).map((s) => [s.state, s.status]));

it('adds, lists, derives status and order, acknowledges and removes on the server', async () => {
  const add = await deps('add', 'team/net', 'vpc', 'app');
  expect([add.code, add.stderr]).toEqual([0, `app reads team/net's output vpc as team_net_vpc (${fx.server.url})\n`]);
  // A guid names the state too; the server answers with logic ids.
  expect((await deps('add', guid['app'] as string, 'endpoint', 'edge', '--as', 'url')).code).toBe(0);
  expect((await deps('add', 'team/net', 'later', 'app', '--mock', '"vpc-0"')).code).toBe(0);

  expect(await json('ls')).toEqual([
    { producer: 'app', output: 'endpoint', consumer: 'edge', input: 'url', status: 'pending' },
    { producer: 'team/net', output: 'later', consumer: 'app', input: 'team_net_later', status: 'pending' },
    { producer: 'team/net', output: 'vpc', consumer: 'app', input: 'team_net_vpc', status: 'pending' },
  ]);
  expect((await deps('ls')).stdout).toBe('app.endpoint -> edge (as url)  pending\nteam/net.later -> app (as team_net_later)  pending\nteam/net.vpc -> app (as team_net_vpc)  pending\n');

  // The producer writes: seen at once (no refresh), and refresh says it has nothing to read.
  await writeOutputs(fx, guid['team/net'] as string, 1, { vpc: 'vpc-1' }, TOKEN);
  const refresh = await deps('refresh');
  expect([refresh.code, refresh.stdout, refresh.stderr]).toEqual([0, '', expect.stringContaining('nothing to read')]);
  expect(((await json('ls')) as { status: string }[]).map((e) => e.status)).toEqual(['pending', 'missing-output', 'pending']);
  expect(await json('status', 'app')).toEqual([
    { state: 'app', status: 'stale', incoming: [{ from: 'team/net', output: 'later', status: 'missing-output' }, { from: 'team/net', output: 'vpc', status: 'pending' }] },
  ]);
  expect(await json('status', guid['app'] as string)).toEqual(await json('status', 'app'));
  expect(await json('order')).toEqual(['app', 'edge']);

  const ack = await deps('ack', 'app');
  expect([ack.code, ack.stderr]).toEqual([0, 'app: 1 incoming edge acknowledged\n']);
  await writeOutputs(fx, guid['app'] as string, 1, { endpoint: 'svc' }, TOKEN);
  expect((await deps('ack', 'edge')).stderr).toBe('edge: 1 incoming edge acknowledged\n');
  expect(await statuses()).toEqual({ app: 'clean', edge: 'clean', 'team/net': 'clean' });

  // A changed output: its consumer is stale, the one downstream potentially stale, in that order.
  await writeOutputs(fx, guid['team/net'] as string, 2, { vpc: 'vpc-2' }, TOKEN);
  expect(await statuses()).toEqual({ app: 'stale', edge: 'potentially-stale', 'team/net': 'clean' });
  expect(await json('order')).toEqual(['app', 'edge']);
  expect(await json('order', '--from', 'team/net')).toEqual(['app', 'edge']);
  expect((await deps('order', '--from', guid['app'] as string)).stdout).toBe('edge\n');

  const rm = await deps('rm', 'team/net', 'later', 'app');
  expect([rm.code, rm.stderr]).toEqual([0, `removed team/net.later -> app (${fx.server.url})\n`]);
  expect(((await json('ls')) as unknown[]).length).toBe(2);
});

it('takes the token from $VELOCITY_TOKEN, and only an explicit --server goes to the server', async () => {
  const env = { VELOCITY_TOKEN: TOKEN, VELOCITY_SERVER: fx.server.url };
  const viaEnv = await runCli(['deps', 'ls', '--json', '--server', fx.server.url], { cwd: ws.dir, env });
  expect(viaEnv.code, viaEnv.stderr).toBe(0);
  expect((JSON.parse(viaEnv.stdout) as unknown[]).length).toBeGreaterThan(0);
  // VELOCITY_SERVER set, no --server: the local graph (none here), nothing asked of the server.
  const local = await runCli(['deps', 'ls'], { cwd: ws.dir, env });
  expect([local.code, local.stdout]).toEqual([0, `no dependencies in ${join(ws.dir, '.velocity', 'deps.json')}\n`]);
});
