// Three workspaces on a velocity server wired by terraform_remote_state (net -> app -> edge), with the real binary and
// PostgreSQL: `deps sync --server` points the remote states at the server; each consumer's own apply acknowledges it
// (no `deps ack`); a changed output of net makes app stale and edge potentially-stale; re-applying them in the order
// `deps order` gives (terraform for app, velocity apply for edge) makes all clean; an unchanged output changes nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseHcl } from '../../src/config/hcl-parser.js';
import { serveEnv, startServeFixture, type ServeFixture } from '../serve/helpers/serve-fixture.js';
import { runCli } from '../support/cli-harness.js';
import { APP_TF, declareThreeStates, EDGE_TF, NET_TF } from '../support/three-states.js';
import { tfBinary } from '../support/terraform-env.js';
import { tfOk, tfRun } from '../support/terraform-run.js';

describe.runIf(tfBinary)('velocity deps over three states on velocity serve (skipped only without tofu/terraform)', () => {
  let fx: ServeFixture;
  const dirs: Record<string, string> = {};
  const env = { ...serveEnv(), VELOCITY_TF_BINARY: tfBinary ?? '' };
  const deps = (...args: string[]) => runCli(['deps', ...args, '--server', fx.server.url], { env });
  const statuses = async (): Promise<Record<string, string>> => {
    const r = await deps('status', '--json');
    expect(r.code, r.stderr).toBe(0);
    return Object.fromEntries((JSON.parse(r.stdout) as { state: string; status: string }[]).map((s) => [s.state, s.status]));
  };
  const dir = (s: string): string => dirs[s] as string;
  const apply = (s: string) => tfOk(dir(s), ['apply', '-auto-approve', '-input=false'], env);

  beforeAll(async () => {
    fx = await startServeFixture(inject('pgUrl'));
    for (const [name, main] of [['net', NET_TF], ['app', APP_TF], ['edge', EDGE_TF]] as const) {
      dirs[name] = fx.workspace(await fx.newState(name), [main]);
      await tfOk(dir(name), ['init', '-input=false'], env);
    }
    await apply('net');
  }, 180_000);
  afterAll(async () => {
    await fx?.close();
  });

  it('syncs, is acknowledged by each apply, goes stale on a changed output and is clean again in the given order', async () => {
    await declareThreeStates(deps);
    expect(await statuses()).toEqual({ net: 'clean', app: 'stale', edge: 'stale' });

    for (const s of ['app', 'edge']) {
      const r = await deps('sync', s, '--dir', dir(s));
      expect(r.code, r.stderr).toBe(0);
      const text = readFileSync(join(dir(s), 'velocity_dependencies.tf'), 'utf8');
      await expect(parseHcl('velocity_dependencies.tf', text)).resolves.toBeTypeOf('object');
      expect(text).toContain(`${fx.server.url}/tfstate/`);
      expect(text).not.toMatch(/password/);
      expect((await deps('sync', s, '--dir', dir(s))).stderr).toContain('is up to date');
      expect(readFileSync(join(dir(s), 'velocity_dependencies.tf'), 'utf8')).toBe(text);
      await apply(s);
    }
    expect(readFileSync(join(dir('app'), 'velocity_dependencies.tf'), 'utf8')).toContain('# later: left out, net has no output missing (missing-output)');
    // Every consumer was acknowledged by its own apply's write.
    expect(await statuses()).toEqual({ net: 'clean', app: 'clean', edge: 'clean' });
    expect((await tfRun(dir('edge'), ['plan', '-detailed-exitcode', '-input=false'], env)).code).toBe(0);

    // An apply of the producer that leaves its outputs as they were: everyone stays clean.
    await tfOk(dir('net'), ['apply', '-auto-approve', '-input=false', '-refresh-only'], env);
    expect(await statuses()).toEqual({ net: 'clean', app: 'clean', edge: 'clean' });

    // A changed output: its consumer is stale, theirs potentially stale, as soon as the producer's write lands.
    writeFileSync(join(dir('net'), 'main.tf'), NET_TF.replace('10.0.0.0/16', '10.1.0.0/16'));
    await apply('net');
    expect(await statuses()).toEqual({ net: 'clean', app: 'stale', edge: 'potentially-stale' });
    const order = await deps('order', '--from', 'net', '--json');
    expect(JSON.parse(order.stdout)).toEqual(['app', 'edge']);
    expect(JSON.parse((await deps('order', '--json')).stdout)).toEqual(['app', 'edge']);

    await apply('app');
    expect(await statuses()).toEqual({ net: 'clean', app: 'clean', edge: 'stale' });
    // edge through velocity apply: its lock and its write on the server acknowledge it the same way.
    const v = await runCli(['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: dir('edge'), env });
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(await statuses()).toEqual({ net: 'clean', app: 'clean', edge: 'clean' });
    const pulled = await tfOk(dir('edge'), ['state', 'pull'], env);
    expect(pulled).toContain('cdn for svc in 10.1.0.0/16');
  }, 400_000);
});
