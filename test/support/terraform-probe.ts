// Test support: the real terraform binary on small terraform_data workspaces: init + apply, and the probe
// (`plan -refresh=false -out` + `show -json`) whose changed set the configuration detector is checked against.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tfBinary, tfEnv } from './terraform-env.js';

const run = promisify(execFile);

/** The binary (tfBinary), or undefined when absent (tests then skip at runtime, saying so). */
export const TERRAFORM = tfBinary;

/** Runs terraform in `dir` with a 60 s bound; rejects with its stderr on failure. */
export async function terraform(dir: string, args: string[]): Promise<string> {
  if (TERRAFORM === undefined) throw new Error('terraform not installed');
  try {
    const { stdout } = await run(TERRAFORM, args, { cwd: dir, env: tfEnv(), timeout: 60_000, maxBuffer: 512 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`terraform ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
  }
}

/** `terraform init` (modules only: terraform_data needs no provider download) then `apply`. */
export async function initAndApply(dir: string): Promise<void> {
  await terraform(dir, ['init', '-input=false', '-backend=false']);
  await terraform(dir, ['apply', '-auto-approve', '-input=false', '-lock=false']);
}

/** A resource change of the probe plan: instance address and actions. */
export interface ProbeChange {
  readonly address: string;
  readonly actions: readonly string[];
}

/** The probe: `plan -refresh=false -out` then `show -json`; every resource change whose actions are not no-op. */
export async function probe(dir: string): Promise<ProbeChange[]> {
  await terraform(dir, ['plan', '-refresh=false', '-input=false', '-lock=false', '-out=velocity-probe.plan']);
  const doc = JSON.parse(await terraform(dir, ['show', '-json', 'velocity-probe.plan'])) as {
    resource_changes?: { address: string; change: { actions: string[] } }[];
  };
  return (doc.resource_changes ?? [])
    .filter((r) => !(r.change.actions.length === 1 && (r.change.actions[0] === 'no-op' || r.change.actions[0] === 'read')))
    .map((r) => ({ address: r.address, actions: r.change.actions }))
    .sort((a, b) => (a.address < b.address ? -1 : 1));
}
