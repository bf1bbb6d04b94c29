// `velocity lock / locks / unlock` with the in-process memory backend: ids, conflicts, --state validation, bad input.
import { describe, it, expect } from 'vitest';
import { runCli } from '../support/cli-harness.js';

const mem = ['--lock-backend', 'memory'];
const state = 'fixtures/demo/terraform.tfstate';

describe('velocity lock/locks/unlock (memory backend)', () => {
  it('locks, lists, conflicts with the holder named, and unlocks by id', async () => {
    const a = await runCli(['lock', 'terraform_data.controller', 'module.customer["acme"].terraform_data.site', ...mem, '--json']);
    expect(a.code, a.stderr).toBe(0);
    const lock = JSON.parse(a.stdout) as { id: string; resources: string[] };
    expect(lock.resources).toEqual(['module.customer["acme"].terraform_data.site', 'terraform_data.controller']);
    const listed = await runCli(['locks', ...mem, '--json']);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((l) => l.id)).toContain(lock.id);
    const human = await runCli(['locks', ...mem]);
    expect(human.stdout).toContain(lock.id);
    const clash = await runCli(['lock', 'terraform_data.controller', ...mem]);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain('error[LOCK_CONFLICT]');
    expect(clash.stderr).toContain(lock.id);
    const timeout = await runCli(['lock', 'terraform_data.controller', ...mem, '--wait', '100ms']);
    expect(timeout.stderr).toContain('error[LOCK_TIMEOUT]');
    expect((await runCli(['unlock', lock.id, ...mem])).code).toBe(0);
    const again = await runCli(['unlock', lock.id, ...mem]);
    expect(again.stderr).toContain('error[LOCK_NOT_HELD]');
    const free = await runCli(['lock', 'terraform_data.controller', ...mem]);
    expect(free.code).toBe(0);
    expect((await runCli(['unlock', free.stdout.trim(), ...mem])).code).toBe(0);
  });

  it('with --state, checks the addresses against the state and locks them as written, covering their instances', async () => {
    const r = await runCli(['lock', 'module.customer["globex"]', '--state', state, ...mem, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const lock = JSON.parse(r.stdout) as { id: string; resources: string[] };
    expect(lock.resources).toEqual(['module.customer["globex"]']);
    const inside = await runCli(['lock', 'module.customer["globex"].terraform_data.site', ...mem]);
    expect(inside.code).toBe(1);
    expect(inside.stderr).toContain('error[LOCK_CONFLICT]');
    await runCli(['unlock', lock.id, ...mem]);
    const unknown = await runCli(['lock', 'terraform_data.nope', '--state', state, ...mem]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('error[ADDRESS_UNKNOWN]');
  });

  it('a lock on a resource or module conflicts with a lock on an instance or resource inside it', async () => {
    for (const [outer, inner, extra] of [
      ['terraform_data.zz', 'terraform_data.zz[0]', []],
      ['module.customer["acme"]', 'module.customer["acme"].terraform_data.device', ['--state', state]],
    ] as [string, string, string[]][]) {
      const a = await runCli(['lock', outer, ...extra, ...mem]);
      expect(a.code, a.stderr).toBe(0);
      const b = await runCli(['lock', inner, ...mem]);
      expect(b.code).toBe(1);
      expect(b.stderr).toContain('error[LOCK_CONFLICT]');
      expect((await runCli(['unlock', a.stdout.trim(), ...mem])).code).toBe(0);
    }
  });

  it('bad input gets typed errors and usage exits 2', async () => {
    expect((await runCli(['lock', ...mem])).code).toBe(2);
    expect((await runCli(['lock', 'not an address', ...mem])).stderr).toContain('error[LOCK_BAD_RESOURCE]');
    expect((await runCli(['lock', 'terraform_data.a', ...mem, '--wait', 'soon'])).code).toBe(2);
    expect((await runCli(['unlock', 'abc', ...mem])).stderr).toContain('error[LOCK_ID_INVALID]');
    expect((await runCli(['unlock', ...mem])).code).toBe(2);
    expect((await runCli(['locks', '--lock-backend', 'redis'])).code).toBe(2);
    expect((await runCli(['locks', '--lock-backend', 'local'])).code).toBe(2);
    expect((await runCli(['locks', '--lock-backend', 'http'])).code).toBe(2);
  });
});
