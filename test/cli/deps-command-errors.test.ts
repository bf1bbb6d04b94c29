// `velocity deps` refusals: each a typed code and exit status, the graph file unchanged.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCli } from '../support/cli-harness.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

let ws: TempWorkspace;
beforeEach(() => (ws = tempWorkspace({ 'a/main.tf': '', 'b/main.tf': '' })));
afterEach(() => ws.cleanup());
const deps = (...args: string[]) => runCli(['deps', ...args], { cwd: ws.dir, env: {} });

it('refuses duplicates, unknown edges, bad names, corrupt files and bad usage with stable codes', async () => {
  expect((await deps('add', 'a', 'x', 'b')).code).toBe(0);
  const file = join(ws.dir, 'a', '.velocity', 'deps.json');
  const before = readFileSync(file, 'utf8');
  const cases: [string[], number, string][] = [
    [['add', 'a', 'x', 'b'], 1, 'DEPS_EDGE_EXISTS'],
    [['add', 'a', 'y', 'b', '--as', 'a_x'], 1, 'DEPS_EDGE_EXISTS'],
    [['add', 'a', 'y', 'b', '--as', '9bad'], 1, 'DEPS_INPUT'],
    [['add', 'b', 'z', 'a'], 1, 'DEPS_CYCLE'],
    [['rm', 'a', 'nope', 'b'], 1, 'DEPS_EDGE_NOT_FOUND'],
    [['add', 'a', 'y', 'b', '--mock', '{bad'], 2, 'USAGE'],
    [['frobnicate'], 2, 'USAGE'],
    [['ls', '--from', 'a'], 2, 'USAGE'],
    [['add', 'a', 'x'], 2, 'USAGE'],
  ];
  for (const [args, code, error] of cases) {
    const r = await deps(...args, '--deps', file);
    expect([r.code, r.stderr], args.join(' ')).toEqual([code, expect.stringContaining(`error[${error}]`)]);
  }
  expect(readFileSync(file, 'utf8')).toBe(before);
  writeFileSync(file, '{"format":"something-else"}');
  const corrupt = await deps('ls', '--deps', file);
  expect([corrupt.code, corrupt.stderr]).toEqual([1, expect.stringContaining('error[DEPS_FILE_INVALID]')]);
});

it('lists edges sorted, with their status, as JSON', async () => {
  for (const [p, o, c] of [['a', 'z', 'b'], ['a', 'm', 'b']] as const) expect((await deps('add', p, o, c)).code).toBe(0);
  const r = await deps('ls', '--json', '--deps', join(ws.dir, 'a', '.velocity', 'deps.json'));
  expect(JSON.parse(r.stdout)).toEqual([
    { producer: 'a', output: 'm', consumer: 'b', input: 'a_m', status: 'pending' },
    { producer: 'a', output: 'z', consumer: 'b', input: 'a_z', status: 'pending' },
  ]);
});
