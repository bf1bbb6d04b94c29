// Velocity's local-backend lock and a real `terraform` exclude each other, both ways: a slow `terraform apply`
// makes velocity fail with Terraform's own LockInfo, and velocity holding the lock makes `terraform plan` fail.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GlobalFallbackLockManager } from '../../src/lock/global-fallback-lock-manager.js';
import { LocalFileLockAdapter } from '../../src/lock/local-file-lock-adapter.js';
import { newLockInfo } from '../../src/lock/lock-info.js';
import { LockConflictError } from '../../src/lock/lock-errors.js';
import { hasTerraform, makeWorkspace, waitFor, type Workspace } from './helpers/terraform-workspace.js';

describe.runIf(hasTerraform)('local backend lock vs real terraform', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await makeWorkspace('', 3);
    const init = await ws.run(['init', '-input=false', '-no-color']);
    expect(init.code, init.stderr).toBe(0);
  });
  afterAll(async () => {
    await ws.dispose();
  });

  it('terraform apply holding the lock → LockConflictError carrying terraform’s LockInfo', async () => {
    const apply = ws.start(['apply', '-auto-approve', '-input=false', '-no-color']);
    const infoFile = join(ws.dir, '.terraform.tfstate.lock.info');
    await waitFor(() => existsSync(infoFile), 20_000, 'terraform to take the lock');
    const manager = new GlobalFallbackLockManager(new LocalFileLockAdapter(join(ws.dir, 'terraform.tfstate')));
    const err = await manager.lockResources(['terraform_data.slow'], newLockInfo()).catch((e: unknown) => e);
    const result = await apply.done;
    expect(result.code, result.stderr).toBe(0);
    expect(err).toBeInstanceOf(LockConflictError);
    const conflict = err as LockConflictError;
    expect(conflict.code).toBe('LOCK_CONFLICT');
    expect(conflict.holder.ID).toMatch(/^[0-9a-f-]{36}$/);
    expect(conflict.holder.Operation).toBe('OperationTypeApply');
    expect(conflict.holder.Who).toContain('@');
    expect(conflict.holder.Version).toBe('1.11.4');
    expect(conflict.overlapping).toEqual(['terraform_data.slow']);
    // Terraform finished and released: velocity can lock now.
    const h = await manager.lockResources(['terraform_data.slow'], newLockInfo());
    await h.unlock();
    await manager.close();
  });

  it('velocity holding the lock → terraform plan -lock-timeout=0s fails with "Error acquiring the state lock"', async () => {
    const manager = new GlobalFallbackLockManager(new LocalFileLockAdapter(join(ws.dir, 'terraform.tfstate')));
    const info = newLockInfo({ operation: 'velocity lock', info: 'interop test' });
    const h = await manager.lockResources(['terraform_data.slow'], info);
    const blocked = await ws.run(['plan', '-lock-timeout=0s', '-input=false', '-no-color']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('Error acquiring the state lock');
    expect(blocked.stderr).toContain(info.ID);
    await h.unlock();
    const free = await ws.run(['plan', '-lock-timeout=0s', '-input=false', '-no-color']);
    expect(free.code, free.stderr).toBe(0);
    await manager.close();
  });
});
