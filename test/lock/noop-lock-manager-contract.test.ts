// The no-op manager validates like the others and excludes nothing.
import { NoOpLockManager } from '../../src/lock/noop-lock-manager.js';
import { lockManagerContract } from './helpers/lock-manager-contract.js';

lockManagerContract({
  name: 'NoOpLockManager',
  excludes: false,
  make: async () => {
    const m = new NoOpLockManager();
    return { a: m, b: m, cleanup: () => m.close() };
  },
});
