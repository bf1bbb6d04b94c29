// preparePlan on a plain local backend reads terraform.tfstate under Terraform's lock: held past -lock-timeout, the
// plan runs in full (the binary then reports the lock) and no detector runs; released within it, the plan is scoped.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChangeDetector } from '../../src/detect/change-detector.js';
import { newLockInfo } from '../../src/lock/lock-info.js';
import { LocalFileLockAdapter } from '../../src/lock/local-file-lock-adapter.js';
import { preparePlan } from '../../src/plan/prepare-plan.js';
import { stateJson } from '../support/state-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'velocity-planlock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'terraform.tfstate'), stateJson([{ type: 'terraform_data', name: 'a' }, { type: 'terraform_data', name: 'b' }]));
const fake = join(dir, 'terraform');
writeFileSync(fake, `#!${process.execPath}\nif (process.argv[2] === 'version') console.log('Terraform v1.11.4');\n`);
chmodSync(fake, 0o755);

function spyDetector(): ChangeDetector & { calls: number } {
  const d = {
    name: 'spy', calls: 0, applies: () => true,
    detect: async () => {
      d.calls++;
      return { source: 'spy', changed: ['terraform_data.a'], tookMs: 0 };
    },
  };
  return d;
}

describe('preparePlan and the local backend lock', () => {
  const env = { PATH: dir, VELOCITY_CACHE_DIR: join(dir, '.cache') };

  it('runs in full, without detection, while an apply holds the lock past -lock-timeout', async () => {
    const lease = await new LocalFileLockAdapter(join(dir, 'terraform.tfstate')).tryAcquire(newLockInfo({ operation: 'OperationTypeApply', who: 'apply@ci' }));
    try {
      const detector = spyDetector();
      const prepared = await preparePlan({ cwd: dir, env, binary: fake, detector });
      prepared.dispose();
      expect(prepared.execution).toMatchObject({ mode: 'full', reason: { kind: 'state-locked', holder: { Who: 'apply@ci' } } });
      expect(detector.calls).toBe(0);
    } finally {
      await lease.release();
    }
  });

  it('waits for the lock up to -lock-timeout, then scopes the plan', async () => {
    const lease = await new LocalFileLockAdapter(join(dir, 'terraform.tfstate')).tryAcquire(newLockInfo({ operation: 'OperationTypeApply' }));
    setTimeout(() => void lease.release(), 300);
    const detector = spyDetector();
    const prepared = await preparePlan({ cwd: dir, env, binary: fake, detector, planArgs: ['-lock-timeout=10s'] });
    prepared.dispose();
    expect(prepared.stateSource).toBe('read-under-lock');
    expect(prepared.execution.mode).toBe('target');
    expect(detector.calls).toBe(1);
  });

  it('-lock=false reads without the lock', async () => {
    const lease = await new LocalFileLockAdapter(join(dir, 'terraform.tfstate')).tryAcquire(newLockInfo({ operation: 'OperationTypeApply' }));
    try {
      const prepared = await preparePlan({ cwd: dir, env, binary: fake, changed: ['terraform_data.a'], planArgs: ['-lock=false'] });
      prepared.dispose();
      expect(prepared.stateSource).toBe('read-unlocked');
      expect(prepared.execution.mode).toBe('target');
    } finally {
      await lease.release();
    }
  });
});
