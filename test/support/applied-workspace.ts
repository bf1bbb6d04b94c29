// An applied customers-shape workspace for integration tests: generated, `init` + `apply` once per option set and
// cached in the repository's git-ignored .velocity-cache/ (apply is the slow part), then copied into a fresh temp
// directory for every test.
// Guarantees: each caller gets a private copy with state; `cleanup()` removes it.

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeCustomersWorkspace, type CustomersWorkspace, type CustomersWorkspaceOptions } from './customers-workspace.js';
import { tfEnv } from './terraform-env.js';

export interface AppliedWorkspace extends CustomersWorkspace {
  cleanup(): void;
}

const CACHE_VERSION = 'v3';

/** Returns a private applied copy of the workspace. First call per option set costs an apply (~5 s at 300). */
export function appliedCustomersWorkspace(binary: string, options: CustomersWorkspaceOptions): AppliedWorkspace {
  const key = `${CACHE_VERSION}-c${options.customers}-t${options.tunnels ?? 4}-d${options.devices ?? 20}-u${options.uplinks ?? 1}`;
  const cacheRoot = resolve(import.meta.dirname, '../..', '.velocity-cache', 'test-workspaces');
  mkdirSync(cacheRoot, { recursive: true });
  const cached = join(cacheRoot, key);
  if (!existsSync(join(cached, 'terraform.tfstate'))) {
    const building = mkdtempSync(join(tmpdir(), 'velocity-ws-build-'));
    writeCustomersWorkspace(building, options);
    const env = tfEnv();
    execFileSync(binary, ['init', '-input=false', '-no-color'], { cwd: building, env, stdio: 'ignore', timeout: 120_000 });
    execFileSync(binary, ['apply', '-auto-approve', '-input=false', '-no-color', '-parallelism=20'], { cwd: building, env, stdio: 'ignore', timeout: 300_000 });
    cpSync(building, join(cacheRoot, `${key}.tmp-${process.pid}`), { recursive: true });
    rmSync(building, { recursive: true, force: true });
    try {
      renameSync(join(cacheRoot, `${key}.tmp-${process.pid}`), cached);
    } catch {
      rmSync(join(cacheRoot, `${key}.tmp-${process.pid}`), { recursive: true, force: true }); // another worker won
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'velocity-ws-'));
  cpSync(cached, dir, { recursive: true });
  const ws = writeCustomersWorkspace(dir, options); // same files; gives the address helpers for this dir
  return { ...ws, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
