// The global fallback over Terraform's http-backend lock passes the shared contract against an in-test state server.
import { GlobalFallbackLockManager } from '../../src/lock/global-fallback-lock-manager.js';
import { HttpLockAdapter } from '../../src/lock/http-lock-adapter.js';
import { lockManagerContract } from './helpers/lock-manager-contract.js';
import { startStateServer } from '../support/http-state-server.js';

for (const status of [423, 409] as const) {
  lockManagerContract({
    name: `GlobalFallbackLockManager(http, conflicts answered ${status})`,
    excludes: true,
    propertyRuns: 15,
    make: async () => {
      const server = await startStateServer({ conflictStatus: status });
      const a = new GlobalFallbackLockManager(new HttpLockAdapter({ address: server.url }));
      const b = new GlobalFallbackLockManager(new HttpLockAdapter({ address: server.url }));
      return { a, b, cleanup: async () => { await a.close(); await b.close(); await server.close(); } };
    },
  });
}
