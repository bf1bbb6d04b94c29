// `velocity serve --write-methods`: only POST, PUT and PATCH can write a state; anything else is a usage error (exit 2)
// before a database is opened.
import { expect, it } from 'vitest';
import { runCli } from '../support/cli-harness.js';

it('refuses a write method other than POST, PUT or PATCH', async () => {
  for (const value of ['GET', 'POST,DELETE', ',']) {
    const r = await runCli(['serve', '--write-methods', value, '--database-url', 'postgres://127.0.0.1:1/none']);
    expect([r.code, r.stderr], value).toEqual([2, expect.stringContaining('--write-methods takes POST, PUT and PATCH')]);
  }
});
