// velocity apply with a resource lock manager when another holder has part of the scope: LOCK_CONFLICT before
// anything runs, the real state untouched and no sub-workspace left behind in .velocity/work.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { velocityApply } from '../../src/apply/velocity-apply.js';
import { MemoryResourceLockManager } from '../../src/lock/memory-resource-lock-manager.js';
import { newLockInfo } from '../../src/lock/lock-info.js';
import { appliedCustomersWorkspace, type AppliedWorkspace } from '../support/applied-workspace.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

describe.runIf(tfBinary)('velocity apply against a held resource lock (skipped only when no tofu/terraform is installed)', () => {
  let ws: AppliedWorkspace;
  beforeAll(() => {
    ws = appliedCustomersWorkspace(tfBinary as string, { customers: 2 });
  });
  afterAll(() => ws?.cleanup());

  it('is a LOCK_CONFLICT, writes nothing and removes the unused sub-workspace', async () => {
    const statePath = join(ws.dir, 'terraform.tfstate');
    const before = readFileSync(statePath, 'utf8');
    const locks = new MemoryResourceLockManager();
    const other = await locks.lockResources([`module.customer["${ws.customer(0)}"]`], newLockInfo({ operation: 'OperationTypeApply', info: 'someone else' }));
    try {
      const change = ws.changeDeviceVar(0, 1, 'v3');
      await expect(velocityApply({ cwd: ws.dir, env: tfEnv(), mode: 'inject', lockManager: locks, planArgs: [change, '-auto-approve', '-no-color'] }))
        .rejects.toMatchObject({ code: 'LOCK_CONFLICT' });
    } finally {
      await other.unlock();
    }
    expect(readFileSync(statePath, 'utf8')).toBe(before);
    const work = join(ws.dir, '.velocity', 'work');
    expect(existsSync(work) ? readdirSync(work) : []).toEqual([]);
  });
});
