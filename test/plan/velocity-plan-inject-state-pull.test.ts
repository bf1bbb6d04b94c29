// Inject mode on a remote backend: the state comes from `state pull` (an `http` backend here), its bytes are kept
// in the plan's temporary directory as they stream, and the sub-workspace copies instances from them; the plan
// equals a full plan and the backend is only read (GET), never written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpBackendWorkspace, type HttpBackendWorkspace } from '../support/http-backend-workspace.js';
import type { StateServer } from '../support/http-state-server.js';
import { capturePlan } from '../support/plan-capture.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

describe.runIf(tfBinary)('velocity plan in inject mode on an http backend (skipped only without tofu/terraform)', () => {
  let ws: HttpBackendWorkspace;
  let server: StateServer;
  let dir: string;
  beforeAll(async () => {
    ws = await httpBackendWorkspace([
      'variable "v" {\n  default = "a"\n}',
      'resource "terraform_data" "base" {\n  input = "base"\n}',
      'resource "terraform_data" "x" {\n  for_each = toset(["p", "q", "r"])\n  input    = "${terraform_data.base.output}/${each.key}/${var.v}"\n}',
      'resource "terraform_data" "other" {\n  input = "other"\n}',
    ]);
    ({ server, dir } = ws);
  }, 120_000);
  afterAll(async () => ws?.cleanup());

  it('plans the change from a sub-workspace, reading the backend only', async () => {
    const writesBefore = server.log.filter((l) => l.startsWith('POST')).length;
    const { result, stdout } = await capturePlan({ cwd: dir, env: tfEnv(), mode: 'inject', changed: ['terraform_data.x["q"]'], planArgs: ['-var=v=b', '-no-color', '-detailed-exitcode'] });
    expect(result.injectFallback).toBeUndefined();
    expect(result.exitCode).toBe(2);
    expect(result.refreshedAddresses).toEqual(['terraform_data.x["q"]']);
    expect(stdout).toContain('terraform_data.x["q"] will be updated in-place');
    expect(stdout).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
    expect(server.log.filter((l) => l.startsWith('POST')).length).toBe(writesBefore);
  });
});
