// `velocity serve`, `velocity state` and `velocity db` refuse what they cannot use before touching a server or a
// database: a stray positional, an unknown flag, a bad --listen, a repeated option, a flag that does not go with the
// sub-command, a missing --server, a bad --serial or --steps, a bad lease: exit 2 naming it.
import { afterAll, describe, it } from 'vitest';
import { expectUsageError, usageRows, usageScratch, type UsageCase } from '../support/usage-cases.js';

const scratch = usageScratch();
afterAll(() => scratch.cleanup());

const CASES: readonly UsageCase[] = [
  [['serve', 'extra'], "'extra'"],
  [['serve', '--port', '1'], '--port'],
  [['serve', '--listen', 'nowhere'], '--listen'],
  [['serve', '--listen', '127.0.0.1:70000'], '--listen'],
  [['serve', '--listen', ':1', '--listen', ':2'], '--listen given more than once'],
  [['serve', '--lock-lease', 'soon'], '--lock-lease'],
  [['serve', '--resource-lease', 'soon'], '--resource-lease'],
  [['serve', '--resource-lease', '10ms'], '--resource-lease'],
  [['serve', '--token-file', ''], '--token-file'],
  [['state'], 'create, list, init, history or rollback'],
  [['state', 'remove', 'x', '--server', 'http://127.0.0.1:1'], "'remove'"],
  [['state', 'list', 'extra', '--server', 'http://127.0.0.1:1'], "'extra'"],
  [['state', 'create', '--server', 'http://127.0.0.1:1'], 'takes LOGIC_ID'],
  [['state', 'create', 'a', 'b', '--server', 'http://127.0.0.1:1'], "'b'"],
  [['state', 'list', '--force', '--server', 'http://127.0.0.1:1'], '--force does not go with velocity state list'],
  [['state', 'rollback', 'x', '--server', 'http://127.0.0.1:1'], '--serial'],
  [['state', 'rollback', 'x', '--serial', '1.5', '--server', 'http://127.0.0.1:1'], '"1.5"'],
  [['state', 'list'], 'VELOCITY_SERVER'],
  [['db'], 'migrate up'],
  [['db', 'migrate'], 'migrate up'],
  [['db', 'migrate', 'up', 'now'], "'now'"],
  [['db', 'migrate', 'up', '--steps', '2'], '--steps goes with'],
  [['db', 'migrate', 'down', '--steps', '0'], '--steps'],
];

describe('velocity serve, state and db arguments', () => {
  it.each(usageRows(CASES))('%s → exit 2 naming the argument', async (_name, c) => {
    await expectUsageError(scratch, c);
  });
});
