// The in-process row-level manager passes the shared contract, with and without a lease (the lease on an injected
// clock the contract advances, so expiry needs no real sleep).
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
    let clock = Date.now();
    const m = new MemoryResourceLockManager({ leaseMs: 400, now: () => clock });
    return { a: m, b: m, cleanup: () => m.close(), advance: async (ms) => void (clock += ms) };
  },
});
