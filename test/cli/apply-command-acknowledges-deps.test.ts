// `velocity apply` in a consumer workspace named by the dependency graph ($VELOCITY_DEPS) acknowledges its incoming
// edges: the stale consumer is clean after the apply without `velocity deps ack`; a dry run changes nothing.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-harness.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';
import { tfOk } from '../support/terraform-run.js';

describe.runIf(tfBinary)('velocity apply and the dependency graph (skipped only without tofu/terraform)', () => {
  let ws: TempWorkspace;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    ws = tempWorkspace({
      'net/main.tf': 'resource "terraform_data" "vpc" {\n  input = "10.0.0.0/16"\n}\noutput "vpc" {\n  value = terraform_data.vpc.output\n}\n',
      'app/main.tf': 'resource "terraform_data" "svc" {\n  input = "svc in ${local.net_vpc}"\n}\n',
    });
    env = tfEnv({ VELOCITY_DEPS: join(ws.dir, 'deps.json'), VELOCITY_CACHE_DIR: join(ws.dir, 'cache') });
    for (const s of ['net', 'app']) await tfOk(join(ws.dir, s), ['init', '-input=false']);
    await tfOk(join(ws.dir, 'net'), ['apply', '-auto-approve', '-input=false']);
  }, 120_000);
  afterAll(() => ws?.cleanup());

  it('acknowledges the consumer after its apply', async () => {
    const deps = (...args: string[]) => runCli(['deps', ...args], { cwd: ws.dir, env });
    expect((await deps('add', 'net', 'vpc', 'app')).code).toBe(0);
    expect((await deps('refresh')).code).toBe(0);
    expect((await deps('sync', 'app')).code).toBe(0);
    const status = async (): Promise<string> => (JSON.parse((await deps('status', 'app', '--json')).stdout) as { status: string }[])[0]?.status ?? '';
    expect(await status()).toBe('stale');
    const dry = await runCli(['apply', '--dry-run-refresh', '-auto-approve'], { cwd: join(ws.dir, 'app'), env });
    expect(dry.code, dry.stderr).toBe(0);
    expect(await status()).toBe('stale');
    const r = await runCli(['apply', '-auto-approve', '-input=false'], { cwd: join(ws.dir, 'app'), env });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stderr).toContain('velocity: deps: app applied; 1 incoming edge acknowledged');
    expect(await status()).toBe('clean');
  }, 180_000);
});
