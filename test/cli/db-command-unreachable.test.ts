// `velocity db migrate` and `velocity serve` with a database nobody answers at: exit 1 with error[DATABASE_ERROR]
// naming where (the password left out), never an internal error.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-harness.js';

async function closedPort(): Promise<number> {
  return new Promise((ok) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
  });
}

describe('velocity db and serve without a database', () => {
  it('say so with a typed error', async () => {
    const url = `postgres://u:hidden@127.0.0.1:${await closedPort()}/x`;
    for (const argv of [['db', 'migrate', 'status', '--database-url', url], ['serve', '--listen', '127.0.0.1:0', '--database-url', url]]) {
      const r = await runCli(argv, { env: {} });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain('error[DATABASE_ERROR]');
      expect(r.stderr).toContain('127.0.0.1');
      expect(r.stderr).not.toContain('hidden');
    }
  });
});
