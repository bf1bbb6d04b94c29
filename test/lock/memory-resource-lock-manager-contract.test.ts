// The in-process row-level manager passes the shared contract, with and without a lease.
import { MemoryResourceLockManager } from '../../src/lock/memory-resource-lock-manager.js';
import { lockManagerContract } from './helpers/lock-manager-contract.js';

lockManagerContract({
  name: 'MemoryResourceLockManager',
  excludes: true,
  make: async () => {
    const m = new MemoryResourceLockManager();
    return { a: m, b: m, cleanup: () => m.close() };
  },
});

lockManagerContract({
  name: 'MemoryResourceLockManager with a 400 ms lease',
  excludes: true,
  leaseMs: 400,
  propertyRuns: 10,
  make: async () => {
    const m = new MemoryResourceLockManager({ leaseMs: 400 });
    return { a: m, b: m, cleanup: () => m.close() };
  },
});
