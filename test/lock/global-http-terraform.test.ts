// Velocity's http-backend lock and a real `terraform` using `backend "http"` against the same in-test state server
// exclude each other, both ways; the holder's LockInfo crosses the wire unchanged.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { GlobalFallbackLockManager } from '../../src/lock/global-fallback-lock-manager.js';
import { HttpLockAdapter } from '../../src/lock/http-lock-adapter.js';
import { newLockInfo } from '../../src/lock/lock-info.js';
import { LockConflictError } from '../../src/lock/lock-errors.js';
import { startStateServer, type StateServer } from '../support/http-state-server.js';
import { hasTerraform, makeWorkspace, waitFor, type Workspace } from './helpers/terraform-workspace.js';

describe.runIf(hasTerraform)('http backend lock vs real terraform', () => {
  let ws: Workspace;
  let server: StateServer;
  beforeAll(async () => {
    server = await startStateServer({ conflictStatus: 423 });
    ws = await makeWorkspace(
      `  backend "http" {\n    address = "${server.url}"\n    lock_address = "${server.url}"\n    unlock_address = "${server.url}"\n  }`,
      3,
    );
    const init = await ws.run(['init', '-input=false', '-no-color']);
    expect(init.code, init.stderr).toBe(0);
  });
  afterAll(async () => {
    await ws.dispose();
    await server.close();
  });

  it('terraform apply holding the lock → LockConflictError with the LockInfo terraform sent', async () => {
    const apply = ws.start(['apply', '-auto-approve', '-input=false', '-no-color']);
    await waitFor(() => server.lock()?.['Operation'] === 'OperationTypeApply', 20_000, 'terraform to LOCK');
    const tfLock = server.lock();
    const manager = new GlobalFallbackLockManager(new HttpLockAdapter({ address: server.url }));
    const err = await manager.lockResources(['terraform_data.slow'], newLockInfo()).catch((e: unknown) => e);
    expect((await manager.locks()).map((l) => l.id)).toEqual([tfLock?.['ID']]);
    const result = await apply.done;
    expect(result.code, result.stderr).toBe(0);
    expect(err).toBeInstanceOf(LockConflictError);
    const conflict = err as LockConflictError;
    expect(conflict.holder.ID).toBe(tfLock?.['ID']);
    expect(conflict.holder.Operation).toBe('OperationTypeApply');
    expect(conflict.holder.Who).toBe(tfLock?.['Who']);
    expect(conflict.holder.Version).toBe('1.11.4');
    expect(server.log).toContain('UNLOCK /state');
    const h = await manager.lockResources(['terraform_data.slow'], newLockInfo());
    await h.unlock();
  });

  it('velocity holding the lock → terraform plan -lock-timeout=0s fails with "Error acquiring the state lock"', async () => {
    const manager = new GlobalFallbackLockManager(new HttpLockAdapter({ address: server.url }));
    const info = newLockInfo({ operation: 'velocity lock' });
    const h = await manager.lockResources(['terraform_data.slow'], info);
    expect(server.lock()?.['ID']).toBe(info.ID);
    const blocked = await ws.run(['plan', '-lock-timeout=0s', '-input=false', '-no-color']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('Error acquiring the state lock');
    expect(blocked.stderr).toContain(info.ID);
    await h.unlock();
    expect(server.lock()).toBeUndefined();
    const free = await ws.run(['plan', '-lock-timeout=0s', '-input=false', '-no-color']);
    expect(free.code, free.stderr).toBe(0);
  });
});
