// Three local workspaces wired by terraform_remote_state (net -> app -> edge), with the real binary: `deps sync` writes
// the remote-state blocks; a changed output of net makes app stale and edge potentially-stale; re-applying them in
// the order `deps order` gives (acknowledging each) makes all clean; an unchanged output leaves everyone clean.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHcl } from '../../src/config/hcl-parser.js';
import { runCli } from '../support/cli-harness.js';
import { APP_TF, declareThreeStates, EDGE_TF, NET_TF } from '../support/three-states.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';
import { tfOk, tfRun } from '../support/terraform-run.js';

describe.runIf(tfBinary)('velocity deps over three local states (skipped only without tofu/terraform)', () => {
  let ws: TempWorkspace;
  const env = tfEnv();
  const dir = (s: string): string => join(ws.dir, s);
  const deps = (...args: string[]) => runCli(['deps', ...args, '--deps', join(ws.dir, 'deps.json')], { cwd: ws.dir, env });
  const statuses = async (): Promise<Record<string, string>> => {
    const r = await deps('status', '--json');
    expect(r.code, r.stderr).toBe(0);
    return Object.fromEntries((JSON.parse(r.stdout) as { state: string; status: string }[]).map((s) => [s.state, s.status]));
  };
  const apply = (s: string) => tfOk(dir(s), ['apply', '-auto-approve', '-input=false']);

  beforeAll(async () => {
    ws = tempWorkspace({
      'net/main.tf': NET_TF,
      'app/main.tf': APP_TF,
      'edge/main.tf': EDGE_TF,
    });
    for (const s of ['net', 'app', 'edge']) await tfOk(dir(s), ['init', '-input=false']);
    await apply('net');
  }, 120_000);
  afterAll(() => ws?.cleanup());

  it('syncs, goes stale on a changed output, and is clean again in the given order', async () => {
    await declareThreeStates(deps);
    expect(await statuses()).toEqual({ net: 'clean', app: 'stale', edge: 'stale' });

    expect((await deps('refresh')).code).toBe(0);
    // app has no state yet: edge's input from it is missing, so edge is synced after app's apply.
    expect(JSON.parse((await deps('ls', '--json')).stdout).find((e: { consumer: string }) => e.consumer === 'edge').status).toBe('missing-output');
    for (const s of ['app', 'edge']) {
      const r = await deps('sync', s);
      expect(r.code, r.stderr).toBe(0);
      const text = readFileSync(join(dir(s), 'velocity_dependencies.tf'), 'utf8');
      await expect(parseHcl('velocity_dependencies.tf', text)).resolves.toBeTypeOf('object');
      // The second run changes nothing.
      expect((await deps('sync', s)).stderr).toContain('is up to date');
      expect(readFileSync(join(dir(s), 'velocity_dependencies.tf'), 'utf8')).toBe(text);
      await apply(s);
      expect((await deps('ack', s)).code).toBe(0);
    }
    expect(readFileSync(join(dir('app'), 'velocity_dependencies.tf'), 'utf8')).toContain('# later: left out, net has no output missing (missing-output)');
    expect(await statuses()).toEqual({ net: 'clean', app: 'clean', edge: 'clean' });
    expect((await tfRun(dir('edge'), ['plan', '-detailed-exitcode', '-input=false'])).code).toBe(0);

    // An apply of the producer that leaves its outputs as they were: everyone stays clean.
    await tfOk(dir('net'), ['apply', '-auto-approve', '-input=false', '-refresh-only']);
    expect((await deps('refresh', 'net')).code).toBe(0);
    expect(await statuses()).toEqual({ net: 'clean', app: 'clean', edge: 'clean' });

    // A changed output: its consumer is stale, theirs potentially stale.
    writeFileSync(join(dir('net'), 'main.tf'), NET_TF.replace('10.0.0.0/16', '10.1.0.0/16'));
    await apply('net');
    expect((await deps('refresh')).code).toBe(0);
    expect(await statuses()).toEqual({ net: 'clean', app: 'stale', edge: 'potentially-stale' });
    const order = await deps('order', '--json');
    expect(JSON.parse(order.stdout)).toEqual(['app', 'edge']);
    expect(JSON.parse((await deps('order', '--from', 'net', '--json')).stdout)).toEqual(['app', 'edge']);
    for (const s of JSON.parse(order.stdout) as string[]) {
      await apply(s);
      expect((await deps('ack', s)).code).toBe(0);
    }
    expect(await statuses()).toEqual({ net: 'clean', app: 'clean', edge: 'clean' });
    expect(readFileSync(join(dir('edge'), 'terraform.tfstate'), 'utf8')).toContain('cdn for svc in 10.1.0.0/16');
  }, 300_000);
});
