// `velocity deps --server` refusals on a real server: the same codes (and exit status) as the local graph's
// (DEPS_CYCLE naming the cycle's states, DEPS_EDGE_EXISTS, DEPS_EDGE_NOT_FOUND, DEPS_INPUT), the server's own
// (a wrong token), and usage errors for what does not go with a server; nothing changes on the server.
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { startServeFixture, type ServeFixture } from '../serve/helpers/serve-fixture.js';
import { runCli } from '../support/cli-harness.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

let fx: ServeFixture;
let ws: TempWorkspace;
beforeAll(async () => {
  fx = await startServeFixture(inject('pgUrl'), { token: 'right' });
  ws = tempWorkspace({ token: 'right\n', wrong: 'wrong\n' });
  for (const s of ['net', 'app', 'edge']) await fx.newState(s);
});
afterAll(async () => {
  await fx?.close();
  ws?.cleanup();
});
const deps = (...args: string[]) => runCli(['deps', ...args], { cwd: ws.dir, env: { TF_HTTP_PASSWORD: 'right' } });

it('refuses with the local graph codes and the server codes, changing nothing', async () => {
  const on = (...args: string[]) => deps(...args, '--server', fx.server.url);
  expect((await on('add', 'net', 'vpc', 'app')).code).toBe(0);
  expect((await on('add', 'app', 'url', 'edge')).code).toBe(0);
  const before = (await on('ls', '--json')).stdout;
  const cycle = await on('add', 'edge', 'dns', 'net');
  expect([cycle.code, cycle.stderr]).toEqual([1, expect.stringContaining('error[DEPS_CYCLE]')]);
  expect(cycle.stderr).toContain('edge -> net -> app -> edge');
  const cases: [string[], number, string][] = [
    [['add', 'net', 'vpc', 'app'], 1, 'DEPS_EDGE_EXISTS'],
    [['add', 'net', 'zone', 'app', '--as', 'net_vpc'], 1, 'DEPS_EDGE_EXISTS'],
    [['add', 'net', 'zone', 'app', '--as', '9bad'], 1, 'DEPS_INPUT'],
    [['add', 'nowhere', 'x', 'app'], 1, 'DEPS_INPUT'],
    [['rm', 'net', 'nope', 'app'], 1, 'DEPS_EDGE_NOT_FOUND'],
    [['rm', 'net', 'vpc', 'nowhere'], 1, 'DEPS_INPUT'],
    [['ack', 'nowhere'], 1, 'DEPS_INPUT'],
    [['order', '--from', 'nowhere'], 1, 'DEPS_INPUT'],
    [['status', 'nowhere'], 1, 'DEPS_INPUT'],
    [['sync', 'nowhere'], 1, 'DEPS_INPUT'],
    [['ls', '--token-file', 'wrong'], 1, 'AUTH_REQUIRED'],
  ];
  for (const [args, code, error] of cases) {
    const r = await on(...args);
    expect([r.code, r.stderr], args.join(' ')).toEqual([code, expect.stringContaining(`error[${error}]`)]);
  }
  expect((await on('ls', '--json')).stdout).toBe(before);
});

it('refuses what does not go with --server as usage errors, before asking the server', async () => {
  const cases: string[][] = [
    ['ls', '--server', fx.server.url, '--deps', 'deps.json'],
    ['ack', 'app', '--binary', 'terraform', '--server', fx.server.url],
    ['ls', '--token-file', 'token'],
    ['sync', 'app', '--dir', '.'],
    ['ls', '--dir', '.', '--server', fx.server.url],
  ];
  for (const args of cases) {
    const r = await deps(...args);
    expect([r.code, r.stderr], args.join(' ')).toEqual([2, expect.stringContaining('error[USAGE]')]);
  }
  const bad = await deps('ls', '--server', 'not a url');
  expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('error[SERVE_BAD_URL]')]);
});
