// Test helper: runs the real terraform binary in a scratch copy of a workspace, offline and without checkpoint calls.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tfBinary } from '../support/terraform-env.js';

/** The binary (test/support/terraform-env.ts tfBinary), or null when absent. */
export const TERRAFORM = tfBinary ?? null;

/** Runs terraform with `args` in `cwd`; returns exit status and combined output. Bounded by a 120 s timeout. */
export function terraform(cwd: string, args: readonly string[]): { status: number | null; output: string } {
  if (!TERRAFORM) throw new Error('terraform is not installed');
  const cfgDir = mkdtempSync(join(tmpdir(), 'velocity-tfrc-'));
  try {
    const cfg = join(cfgDir, 'terraformrc');
    writeFileSync(cfg, 'disable_checkpoint = true\n');
    const r = spawnSync(TERRAFORM, [...args, '-no-color'], {
      cwd,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, TF_CLI_CONFIG_FILE: cfg, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' },
    });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(cfgDir, { recursive: true, force: true });
  }
}
