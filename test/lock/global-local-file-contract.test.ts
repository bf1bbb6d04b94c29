// The global fallback over Terraform's local-backend lock passes the shared contract (two managers, one state file).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GlobalFallbackLockManager } from '../../src/lock/global-fallback-lock-manager.js';
import { LocalFileLockAdapter } from '../../src/lock/local-file-lock-adapter.js';
import { lockManagerContract } from './helpers/lock-manager-contract.js';

lockManagerContract({
  name: 'GlobalFallbackLockManager(local file)',
  excludes: true,
  propertyRuns: 20,
  make: async () => {
    const dir = await mkdtemp(join(tmpdir(), 'velocity-local-lock-'));
    const state = join(dir, 'terraform.tfstate');
    const a = new GlobalFallbackLockManager(new LocalFileLockAdapter(state));
    const b = new GlobalFallbackLockManager(new LocalFileLockAdapter(state));
    return { a, b, cleanup: async () => { await a.close(); await b.close(); await rm(dir, { recursive: true, force: true }); } };
  },
});
