// Every lock option value is checked before any backend is opened: a bad value, or a flag the chosen backend does
// not use, is a usage error (exit 2, error[USAGE]) naming the flag, never a user error or a silently ignored flag.
import { describe, it, expect } from 'vitest';
import { runCli } from '../support/cli-harness.js';

// A database nobody serves: should a bad value slip through, the call fails with exit 1, never reaches a real server.
const env = { DATABASE_URL: 'postgres://postgres:x@127.0.0.1:9/postgres' };

const cases: [string, string[]][] = [
  ['--lease 0', ['lock', 'e.one', '--lease', '0']],
  ['--lease rounding to 0', ['lock', 'e.one', '--lease', '0.0001']],
  ['--lease not a duration', ['lock', 'e.one', '--lease', 'soon']],
  ['--lease beyond a year', ['lock', 'e.one', '--lease', '9000h']],
  ['--wait negative', ['lock', 'e.one', '--wait=-1s']],
  ['--wait beyond a year', ['lock', 'e.one', '--wait', '9000h']],
  ['--schema not a name', ['locks', '--schema', 'x; DROP TABLE y']],
  ['--namespace empty', ['locks', '--namespace', '']],
  ['--database-url not a URL', ['locks', '--database-url', 'not a url']],
  ['--database-url not postgres', ['locks', '--database-url', 'http://127.0.0.1:9/db']],
  ['--http-address not http', ['locks', '--lock-backend', 'http', '--http-address', 'ftp://127.0.0.1/x']],
  ['--http-lock-address not a URL', ['locks', '--lock-backend', 'http', '--http-address', 'http://127.0.0.1:9/s', '--http-lock-address', '::']],
  ['--http-lock-method not a method', ['locks', '--lock-backend', 'http', '--http-address', 'http://127.0.0.1:9/s', '--http-lock-method', 'LO CK']],
  ['--lease with the memory backend', ['lock', 'e.one', '--lock-backend', 'memory', '--lease', '5m']],
  ['--schema with the http backend', ['locks', '--lock-backend', 'http', '--http-address', 'http://127.0.0.1:9/s', '--schema', 'v']],
  ['--http-address with the postgres backend', ['unlock', '00000000-0000-4000-8000-000000000000', '--http-address', 'http://127.0.0.1:9/s']],
];

describe('lock command option values', () => {
  it.each(cases)('%s → exit 2, error[USAGE]', async (_, argv) => {
    const r = await runCli(argv, { env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('error[USAGE]');
    expect(r.stdout).toBe('');
  });
});
