// Test support: a sim workspace (test/support/sim, in process) whose http backend is a state of an in-process
// `velocity serve`, reached through a holding proxy (helpers/holding-proxy.ts) so a test can hold a write in flight;
// initialized and applied. For tests of `velocity apply` against the server. cleanup() stops all of it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { backendBlock } from '../../../src/serve/backend-block.js';
import { startSim, terraformBin, type SimServer } from '../../support/sim/index.js';
import { tfEnv } from '../../support/terraform-env.js';
import { tfOk } from '../../support/terraform-run.js';
import { holdingProxy, type HoldingProxy } from './holding-proxy.js';
import { raw, startServeFixture, type ServeFixture } from './serve-fixture.js';

/** sim resources: base, x["p","q","r"] (x/q and x/p follow var.v), other. */
export const SERVE_SIM_BLOCKS: readonly string[] = [
  'terraform {\n  required_providers {\n    sim = { source = "example/sim" }\n  }\n}',
  'variable "v" {\n  default = "a"\n}',
  'resource "sim_resource" "base" {\n  name  = "base"\n  value = "base"\n}',
  'resource "sim_resource" "x" {\n  for_each = toset(["p", "q", "r"])\n  name     = "x/${each.key}"\n  inputs   = { base = sim_resource.base.id }\n  value    = each.key == "r" ? "a" : var.v\n}',
  'resource "sim_resource" "other" {\n  name  = "other"\n  value = "other"\n}',
];

/** A served state of sim resources, as far as these tests read it. */
export interface SimStateDoc {
  serial: number;
  lineage: string;
  resources: { name: string; instances: { index_key?: string; attributes: { value: string } }[] }[];
}

/** `name[key]` -> value of every instance. O(instances). */
export function simValues(doc: SimStateDoc): Record<string, string> {
  return Object.fromEntries(doc.resources.flatMap((r) => r.instances.map((i) => [`${r.name}${i.index_key === undefined ? '' : `[${i.index_key}]`}`, i.attributes.value])));
}

export interface ServeSimWorkspace {
  readonly fx: ServeFixture;
  readonly sim: SimServer;
  readonly proxy: HoldingProxy;
  readonly guid: string;
  readonly dir: string;
  /** terraform's environment (the sim reattached). */
  readonly tfenv: NodeJS.ProcessEnv;
  /** velocity's: tfenv plus VELOCITY_TF_BINARY. */
  readonly env: NodeJS.ProcessEnv;
  /** The served document, as text. */
  current(): Promise<string>;
  /** The live locks of the state (GET /tfstate/{guid}/locks). */
  locks(): Promise<{ id: string; resources: string[] }[]>;
  cleanup(): Promise<void>;
}

/** Starts it all; `hold` picks the backend requests the proxy holds (default: none). */
export async function serveSimWorkspace(pgUrl: string, blocks: readonly string[], options: { resourceLeaseMs?: number; hold?: (req: IncomingMessage, body: Buffer) => boolean } = {}): Promise<ServeSimWorkspace> {
  const fx = await startServeFixture(pgUrl, options.resourceLeaseMs === undefined ? {} : { resourceLeaseMs: options.resourceLeaseMs });
  const sim = await startSim({ inProcess: true });
  const proxy = await holdingProxy(fx.server.url, options.hold ?? (() => false));
  const guid = await fx.newState();
  const dir = fx.workspace(guid, blocks);
  writeFileSync(join(dir, 'backend.tf'), backendBlock(proxy.url, guid));
  const tfenv = tfEnv(sim.reattachEnv());
  await tfOk(dir, ['init', '-input=false', '-no-color'], tfenv);
  await tfOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color'], tfenv);
  return {
    fx,
    sim,
    proxy,
    guid,
    dir,
    tfenv,
    env: { ...tfenv, VELOCITY_TF_BINARY: terraformBin() },
    current: async () => (await raw(fx, 'GET', `/tfstate/${guid}`)).text,
    locks: async () => JSON.parse((await raw(fx, 'GET', `/tfstate/${guid}/locks`)).text) as { id: string; resources: string[] }[],
    cleanup: async () => {
      await sim.releaseApplies().catch(() => {});
      await proxy.close();
      await sim.stop();
      await fx.close();
    },
  };
}
