// `velocity deps sync CONSUMER --server URL [--dir D]` (the built bin, as a user runs it): D/velocity_dependencies.tf reads each producer through the
// http backend at <server>/tfstate/<guid> with username velocity and no password; the real binary then reads the
// producer's output through it with the token as TF_HTTP_PASSWORD (and is refused without it); a second sync
// changes nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseHcl } from '../../src/config/hcl-parser.js';
import { serveEnv, startServeFixture, type ServeFixture } from '../serve/helpers/serve-fixture.js';
import { assertFreshBuild, runVelocityBin } from '../support/built-package.js';
import { writeOutputs } from '../support/serve-outputs.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { tfBinary } from '../support/terraform-env.js';
import { tfOk, tfRun } from '../support/terraform-run.js';

describe.runIf(tfBinary)('deps sync of a state on a velocity server (skipped only without tofu/terraform)', () => {
  const TOKEN = 'sync-token';
  let fx: ServeFixture;
  let ws: TempWorkspace;
  let net: string;
  beforeAll(async () => {
    assertFreshBuild();
    fx = await startServeFixture(inject('pgUrl'), { token: TOKEN });
    ws = tempWorkspace({ 'app/main.tf': 'output "seen" {\n  value = local.team_net_vpc\n}\n' });
    net = await fx.newState('team/net');
    await fx.newState('team/app');
    await writeOutputs(fx, net, 1, { vpc: 'vpc-1' }, TOKEN);
  });
  afterAll(async () => {
    await fx?.close();
    ws?.cleanup();
  });

  it('writes http remote states the binary reads with TF_HTTP_PASSWORD', async () => {
    const env = { VELOCITY_TOKEN: TOKEN };
    const deps = (cwd: string, ...args: string[]) => runVelocityBin(['deps', ...args, '--server', fx.server.url], { cwd, env });
    expect((await deps(ws.dir, 'add', 'team/net', 'vpc', 'team/app')).code).toBe(0);
    const app = join(ws.dir, 'app');
    const r = await deps(ws.dir, 'sync', 'team/app', '--dir', 'app');
    expect([r.code, r.stderr]).toEqual([0, `wrote ${join(app, 'velocity_dependencies.tf')}\n`]);
    const text = readFileSync(join(app, 'velocity_dependencies.tf'), 'utf8');
    expect(text).not.toMatch(/password|sync-token/i);
    const hcl = (await parseHcl('velocity_dependencies.tf', text)) as { data: { terraform_remote_state: unknown } };
    expect(hcl.data.terraform_remote_state).toEqual({ team_net: [{ backend: 'http', config: { address: `${fx.server.url}/tfstate/${net}`, username: 'velocity' } }] });
    // --dir defaults to the current directory; the same graph writes the same text.
    expect((await deps(app, 'sync', 'team/app')).stderr).toContain('is up to date');
    expect(readFileSync(join(app, 'velocity_dependencies.tf'), 'utf8')).toBe(text);

    await tfOk(app, ['init', '-input=false'], serveEnv());
    const refused = await tfRun(app, ['plan', '-input=false'], serveEnv());
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('requires auth');
    await tfOk(app, ['apply', '-auto-approve', '-input=false'], serveEnv(TOKEN));
    expect((await tfOk(app, ['output', '-raw', 'seen'], serveEnv(TOKEN))).trim()).toBe('vpc-1');
  }, 120_000);
});
