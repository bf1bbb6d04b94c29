// Test support: one state on an in-process velocity server holding independent "customers" (a terraform_data and a
// root output each, set by -var=cN=...), initialized and applied by plain terraform; and the velocity apply of one
// customer's change as a child process (the ledger recorded, so no probe). Guarantees: every customer starts at "a"; apply args are deterministic.
import type { ServeFixture } from '../serve/helpers/serve-fixture.js';
import { serveEnv } from '../serve/helpers/serve-fixture.js';
import { terraformBin } from './sim/index.js';
import { runVelocityBin } from './built-package.js';
import { tfOk } from './terraform-run.js';
import { startVelocity, type VelocityChild } from './velocity-child.js';

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
    cwd: ws.dir, env: { ...ws.env, VELOCITY_TF_BINARY: terraformBin() }, timeoutMs: 120_000,
  });
}
