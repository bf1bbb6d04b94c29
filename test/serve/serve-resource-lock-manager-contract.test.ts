// ServeResourceLockManager passes the shared lock contract: two managers (as two processes would hold) on one state
// of an in-process server, once with a short lease to exercise expiry and take-over.
import { inject } from 'vitest';
import { ServeResourceLockManager } from '../../src/serve/serve-resource-lock-manager.js';
import { lockManagerContract } from '../lock/helpers/lock-manager-contract.js';
import { startServeFixture } from './helpers/serve-fixture.js';

function subject(leaseMs: number | undefined) {
  return async () => {
    const fx = await startServeFixture(inject('pgUrl'), leaseMs === undefined ? {} : { resourceLeaseMs: leaseMs });
    const guid = await fx.newState();
    const backend = { origin: fx.server.url, guid, auth: undefined };
    return { a: new ServeResourceLockManager(backend), b: new ServeResourceLockManager(backend), cleanup: () => fx.close() };
  };
}

lockManagerContract({ name: 'ServeResourceLockManager', excludes: true, propertyRuns: 10, make: subject(undefined) });
lockManagerContract({ name: 'ServeResourceLockManager with a 600 ms lease', excludes: true, leaseMs: 600, propertyRuns: 3, make: subject(600) });
