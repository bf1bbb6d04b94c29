// `velocity lock / locks / unlock` over Terraform's own backend locks: the http backend (a lock that outlives the
// command, visible to the server) and the local backend (`locks` reports who holds the state file's lock; `lock`
// validates the addresses against that state before taking its lock).
import { describe, it, expect } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli-harness.js';
import { startStateServer } from '../support/http-state-server.js';
import { GlobalFallbackLockManager } from '../../src/lock/global-fallback-lock-manager.js';
import { LocalFileLockAdapter } from '../../src/lock/local-file-lock-adapter.js';
import { newLockInfo } from '../../src/lock/lock-info.js';
import { stateJson } from '../support/state-builder.js';

describe('velocity lock commands on terraform backends', () => {
  it('http: lock holds on the server after the command, locks names it, unlock releases it', async () => {
    const server = await startStateServer();
    const http = ['--lock-backend', 'http', '--http-address', server.url];
    try {
      const a = await runCli(['lock', 'terraform_data.a', ...http, '--operation', 'maintenance']);
      expect(a.code, a.stderr).toBe(0);
      const id = a.stdout.trim();
      expect(server.lock()?.['ID']).toBe(id);
      expect(server.lock()?.['Operation']).toBe('maintenance');
      const listed = await runCli(['locks', ...http]);
      expect(listed.stdout).toContain(id);
      expect(listed.stdout).toContain('(the whole state)');
      const clash = await runCli(['lock', 'terraform_data.b', ...http]);
      expect(clash.stderr).toContain('error[LOCK_CONFLICT]');
      expect((await runCli(['unlock', id, ...http])).code).toBe(0);
      expect(server.lock()).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('local: locks reports the holder of the state file lock; lock validates against and locks that state file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'velocity-cli-local-'));
    const state = join(dir, 'terraform.tfstate');
    await writeFile(state, stateJson([{ name: 'a' }, { name: 'b', dependencies: ['terraform_data.a'] }]));
    const local = ['--lock-backend', 'local', '--state', state];
    try {
      const holder = new GlobalFallbackLockManager(new LocalFileLockAdapter(state));
      const info = newLockInfo({ operation: 'OperationTypeApply' });
      const h = await holder.lockResources(['terraform_data.a'], info);
      const listed = await runCli(['locks', ...local, '--json']);
      expect((JSON.parse(listed.stdout) as { id: string; info: { Operation: string } }[]).map((l) => [l.id, l.info.Operation])).toEqual([[info.ID, 'OperationTypeApply']]);
      await h.unlock();
      expect((await runCli(['locks', ...local])).stdout).toBe('no locks held\n');
      const unknown = await runCli(['lock', 'terraform_data.zzz', ...local]);
      expect(unknown.stderr).toContain('error[ADDRESS_UNKNOWN]');
      const mine = await runCli(['lock', 'terraform_data.b', ...local]);
      expect(mine.code, mine.stderr).toBe(0);
      expect(mine.stderr).toContain('ends when its process does');
      const id = mine.stdout.trim();
      expect((await runCli(['locks', ...local])).stdout).toContain(id);
      expect((await runCli(['unlock', id, ...local])).code).toBe(0);
      expect((await runCli(['locks', ...local])).stdout).toBe('no locks held\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
