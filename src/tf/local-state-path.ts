// Finds the state file of a plain local-backend working directory, so velocity can read it instead of starting
// `<bin> state pull` (a whole binary start, ~0.3-1 s). Guarantees: answers only when Terraform itself would read
// exactly that file (no backend/cloud block initialized, default workspace, no TF_DATA_DIR); otherwise undefined.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `DIR/terraform.tfstate` when DIR is a plain local-backend working directory in the default workspace, else
 * undefined (the caller then runs `state pull`, which works for every backend). O(1) file checks.
 */
export function plainLocalStatePath(dir: string, env: NodeJS.ProcessEnv): string | undefined {
  // NOTE: `init` records any configured backend (local with a custom path included) and `cloud` block in
  // .terraform/terraform.tfstate; its absence means the implicit local backend at terraform.tfstate.
  if (env['TF_DATA_DIR'] !== undefined) return undefined;
  if (env['TF_WORKSPACE'] !== undefined && env['TF_WORKSPACE'] !== 'default') return undefined;
  if (existsSync(join(dir, '.terraform', 'terraform.tfstate'))) return undefined;
  const envFile = join(dir, '.terraform', 'environment');
  if (existsSync(envFile) && readFileSync(envFile, 'utf8').trim() !== 'default') return undefined;
  const path = join(dir, 'terraform.tfstate');
  return existsSync(path) && statSync(path).size > 0 ? path : undefined;
}
