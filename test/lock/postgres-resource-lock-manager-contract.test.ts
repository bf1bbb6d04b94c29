// The PostgreSQL row-level manager passes the shared contract with two separate managers (two pools) on one
// database, as two processes would; once with a short lease to exercise expiry and take-over.
import { inject } from 'vitest';
import { PostgresResourceLockManager } from '../../src/lock/postgres-resource-lock-manager.js';
import { lockManagerContract } from './helpers/lock-manager-contract.js';
import { dropSchema, freshSchema } from './helpers/pg-test-schema.js';

function subject(leaseMs: number | undefined, synchronousCommit = true) {
  return async () => {
    const url = inject('pgUrl');
    const schema = freshSchema();
    const options = { connectionString: url, schema, maxConnections: 2, synchronousCommit, ...(leaseMs === undefined ? {} : { leaseMs }) };
    const a = await PostgresResourceLockManager.open(options);
    const b = await PostgresResourceLockManager.open(options);
    return {
      a,
      b,
      cleanup: async () => {
        await a.close();
        await b.close();
        await dropSchema(url, schema);
      },
    };
  };
}

lockManagerContract({ name: 'PostgresResourceLockManager', excludes: true, propertyRuns: 25, make: subject(undefined) });
lockManagerContract({ name: 'PostgresResourceLockManager with a 600 ms lease', excludes: true, leaseMs: 600, propertyRuns: 5, make: subject(600) });
lockManagerContract({ name: 'PostgresResourceLockManager with asynchronous commits', excludes: true, propertyRuns: 5, make: subject(undefined, false) });
