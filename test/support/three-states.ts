// Test support: three workspaces wired by terraform_remote_state, net -> app -> edge (their main.tf texts; the
// locals they read are what `deps sync` writes), and the edges both three-state tests declare, a cycle refused.
import { expect } from 'vitest';
import type { CliResult } from './cli-harness.js';

export const NET_TF = 'variable "cidr" {\n  default = "10.0.0.0/16"\n}\nresource "terraform_data" "vpc" {\n  input = var.cidr\n}\noutput "vpc" {\n  value = terraform_data.vpc.output\n}\noutput "region" {\n  value = "eu"\n}\n';
export const APP_TF = 'resource "terraform_data" "svc" {\n  input = "svc in ${local.net_vpc}"\n}\noutput "endpoint" {\n  value = terraform_data.svc.output\n}\n';
export const EDGE_TF = 'resource "terraform_data" "cdn" {\n  input = "cdn for ${local.app_endpoint}"\n}\n';

/** Declares net.vpc -> app, app.endpoint -> edge and net.missing -> app (as `later`); edge.x -> net is refused as a cycle. */
export async function declareThreeStates(deps: (...args: string[]) => Promise<CliResult>): Promise<void> {
  expect((await deps('add', 'net', 'vpc', 'app')).code).toBe(0);
  expect((await deps('add', 'app', 'endpoint', 'edge')).code).toBe(0);
  expect((await deps('add', 'net', 'missing', 'app', '--as', 'later')).code).toBe(0);
  // A cycle is refused with its states named, and nothing is written.
  const cyc = await deps('add', 'edge', 'x', 'net');
  expect(cyc.code).toBe(1);
  expect(cyc.stderr).toContain('error[DEPS_CYCLE]');
  expect(cyc.stderr).toContain('edge -> net -> app -> edge');
}
