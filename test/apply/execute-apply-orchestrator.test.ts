// The apply's steps as an orchestrator calls them: preparePlan({ subcommand: 'apply' }) → lock exactly
// `prepared.scope.refresh` → executeApply → unlock. The set locked is the set applied, the sub-workspace is merged
// (nothing left for a full plan), and executeApply refuses a plan prepared for `plan`.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeApply } from '../../src/apply/velocity-apply.js';
import { MemoryResourceLockManager } from '../../src/lock/memory-resource-lock-manager.js';
import { newLockInfo } from '../../src/lock/lock-info.js';
import { preparePlan } from '../../src/plan/prepare-plan.js';
import { appliedCustomersWorkspace, type AppliedWorkspace } from '../support/applied-workspace.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

describe.runIf(tfBinary)('executeApply as an orchestrator step (skipped only when no tofu/terraform is installed)', () => {
  let ws: AppliedWorkspace;
  beforeAll(() => {
    ws = appliedCustomersWorkspace(tfBinary as string, { customers: 3 });
  });
  afterAll(() => ws?.cleanup());

  it('applies and merges exactly what was prepared and locked', async () => {
    const change = ws.changeDeviceVar(2, 1, 'v7');
    const prepared = await preparePlan({ cwd: ws.dir, env: tfEnv(), mode: 'inject', subcommand: 'apply', planArgs: [change, '-auto-approve', '-no-color'] });
    expect(prepared.execution.mode).toBe('inject');
    const locks = new MemoryResourceLockManager();
    const lock = await locks.lockResources(prepared.scope.refresh, newLockInfo({ operation: 'OperationTypeApply', info: 'orchestrator test' }));
    let result;
    try {
      expect([...lock.resources].sort()).toEqual([...prepared.scope.refresh].sort());
      result = await executeApply(prepared);
    } finally {
      await lock.unlock();
      prepared.dispose();
    }
    expect(result.exitCode).toBe(0);
    expect(result.merge?.kind).toBe('written');
    expect(result.ledger.recorded).toBe(true); // the probe found the change: the apply covered every change
    expect(await locks.locks()).toEqual([]);
    const plan = spawnSync(tfBinary as string, ['plan', '-detailed-exitcode', '-input=false', '-no-color', change], { cwd: ws.dir, env: tfEnv(), encoding: 'utf8' });
    expect(plan.status, plan.stdout + plan.stderr).toBe(0);
  });

  it('refuses a plan prepared for plan (USAGE), running nothing', async () => {
    const prepared = await preparePlan({ cwd: ws.dir, env: tfEnv(), mode: 'inject', planArgs: ['-no-color'] });
    try {
      await expect(executeApply(prepared)).rejects.toMatchObject({ code: 'USAGE' });
    } finally {
      prepared.dispose();
    }
  });
});
