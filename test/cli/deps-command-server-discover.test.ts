// `velocity deps discover DIR... --server URL`: each DIR is the server state its initialized backend points at; its
// http remote states on that server become edges (logic ids), a second run adds none; another server, a guid the
// server does not have and another backend are warnings; a DIR not initialized on the server is a usage error.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveEnv, useServeFixture } from '../serve/helpers/serve-fixture.js';
import { runCli } from '../support/cli-harness.js';
import { tfBinary } from '../support/terraform-env.js';
import { tfOk } from '../support/terraform-run.js';
import { tempWorkspace } from '../support/temp-workspace.js';

describe.runIf(tfBinary)('velocity deps discover on a velocity server (skipped only without tofu/terraform)', () => {
  const fx = useServeFixture();

  it('adds the edges of the remote states on the server and warns about the rest', async () => {
    const net = await fx().newState('team/net');
    const appGuid = await fx().newState('team/app');
    const remote = (label: string, address: string) => `data "terraform_remote_state" "${label}" {\n  backend = "http"\n  config = {\n    address = "${address}"\n  }\n}`;
    const app = fx().workspace(appGuid, [
      remote('net', `${fx().server.url}/tfstate/${net}`),
      remote('elsewhere', `http://127.0.0.2:1/tfstate/${net}`),
      remote('ghost', `${fx().server.url}/tfstate/00000000-0000-7000-8000-000000000000`),
      'data "terraform_remote_state" "s3" {\n  backend = "s3"\n  config = {\n    bucket = "b"\n  }\n}',
      'resource "terraform_data" "svc" {\n  input = "${data.terraform_remote_state.net.outputs.vpc}:${data.terraform_remote_state.net.outputs["zone"]}:${data.terraform_remote_state.ghost.outputs.x}"\n}',
    ]);
    const env = serveEnv();
    await tfOk(app, ['init', '-input=false'], env);
    const deps = (...args: string[]) => runCli(['deps', ...args, '--server', fx().server.url], { cwd: app, env });

    const r = await deps('discover', '.');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual([
      'warning: team/app: data.terraform_remote_state.elsewhere reads a state on another server (http://127.0.0.2:1); declare its edges there',
      `warning: team/app: data.terraform_remote_state.ghost reads state 00000000-0000-7000-8000-000000000000, which ${fx().server.url} does not have`,
      'warning: team/app: data.terraform_remote_state.s3 (backend "s3") cannot be located here; declare its edges with `velocity deps add`',
      `discovered 2 edges, 2 new (${fx().server.url})`,
    ]);
    const ls = JSON.parse((await deps('ls', '--json')).stdout) as { producer: string; output: string; consumer: string }[];
    expect(ls.map((e) => `${e.producer}.${e.output}->${e.consumer}`)).toEqual(['team/net.vpc->team/app', 'team/net.zone->team/app']);
    expect((await deps('discover', app)).stderr).toContain('discovered 2 edges, 0 new');

    const bare = tempWorkspace({ 'main.tf': 'resource "terraform_data" "x" {}\n' });
    try {
      const refused = await deps('discover', join(bare.dir));
      expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining('error[USAGE]')]);
      expect(refused.stderr).toContain(`is not initialized on a state of ${fx().server.url}`);
    } finally {
      bare.cleanup();
    }
  }, 120_000);
});
