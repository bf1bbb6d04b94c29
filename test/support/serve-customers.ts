// Test support: one state on an in-process velocity server holding independent "customers" (a terraform_data and a
// root output each, set by -var=cN=...), initialized and applied by plain terraform; and the velocity apply of one
// customer's change as a child process (the ledger recorded, so no probe). Guarantees: every customer starts at "a"; apply args are deterministic.
import { beforeAll } from 'vitest';
import { serveEnv, useServeFixture, type ServeFixture } from '../serve/helpers/serve-fixture.js';
import { terraformBin } from './sim/index.js';
import { assertFreshBuild, runVelocityBin } from './built-package.js';
import { tfOk } from './terraform-run.js';
import { startVelocity, type VelocityChild } from './velocity-child.js';

/** In a describe block: a fresh server (and a fresh build of the CLI) for its tests, closed after them. */
export function useBuiltServeFixture(): () => ServeFixture {
  beforeAll(() => assertFreshBuild());
  return useServeFixture();
}

/** The blocks of `n` customers c1..cn. */
export function customerBlocks(n: number): string[] {
  const out: string[] = [];
  for (let i = 1; i <= n; i++) {
    out.push(`variable "c${i}" {\n  default = "a"\n}`, `resource "terraform_data" "c${i}" {\n  input = var.c${i}\n}`, `output "c${i}" {\n  value = terraform_data.c${i}.output\n}`);
  }
  return out;
}

export interface ServeCustomers {
  readonly guid: string;
  readonly dir: string;
  /** terraform's environment (the server needs no token). */
  readonly env: NodeJS.ProcessEnv;
}

/** A state with `n` customers on `fx`: `init` and `apply` by terraform. */
export async function serveCustomers(fx: ServeFixture, n: number): Promise<ServeCustomers> {
  const guid = await fx.newState();
  const dir = fx.workspace(guid, customerBlocks(n));
  const env = serveEnv();
  await tfOk(dir, ['init', '-input=false', '-no-color'], env);
  await tfOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color'], env);
  // A plan whose probe finds no change records the ledger: the applies then detect their change without a probe
  // (which would take the whole-state lock of the real workspace) and own only the outputs it changes.
  const planned = await runVelocityBin(['plan', '-no-color', '-input=false'], { cwd: dir, env: { ...env, VELOCITY_TF_BINARY: terraformBin() } });
  if (planned.code !== 0 || !planned.stdout.includes('ledger recorded')) throw new Error(`velocity plan did not record the ledger:\n${planned.stdout}${planned.stderr}`);
  return { guid, dir, env };
}

/** `velocity apply --mode inject -auto-approve -var=cI=value` in the workspace (the ledger finds the change). */
export function applyCustomer(ws: ServeCustomers, i: number, value: string, extra: readonly string[] = []): VelocityChild {
  return startVelocity(['apply', '--mode', 'inject', ...extra, '-auto-approve', '-no-color', '-input=false', `-var=c${i}=${value}`], {
    cwd: ws.dir, env: velocityEnv(ws), timeoutMs: 120_000,
  });
}

/** `velocity env` for the workspace: terraform's plus the binary. */
export function velocityEnv(ws: ServeCustomers): NodeJS.ProcessEnv {
  return { ...ws.env, VELOCITY_TF_BINARY: terraformBin() };
}

/**
 * `velocity plan --mode inject -out=p.tfplan -var=c1=VALUE` in the workspace: the kept sub-workspace's directory.
 * @throws when the plan fails or takes no lock on the server
 */
export async function savedPlan(ws: ServeCustomers, value: string): Promise<string> {
  const r = await runVelocityBin(['plan', '--mode', 'inject', '-no-color', '-input=false', '-out=p.tfplan', `-var=c1=${value}`], { cwd: ws.dir, env: velocityEnv(ws) });
  const sub = /kept in (\S+)\)/.exec(r.stdout)?.[1];
  if (r.code !== 0 || sub === undefined || !/Velocity: locked \d+ addresses on the velocity server/.test(r.stdout)) throw new Error(`velocity plan -out failed:\n${r.stdout}${r.stderr}`);
  return sub;
}
