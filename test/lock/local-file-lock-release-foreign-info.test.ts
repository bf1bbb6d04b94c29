// Releasing a local lock when the lock info file is no longer this holder's: after a commit renames a new state file
// into place, another process may lock the new file and be writing the shared info file. Release must neither throw
// on a half-written file nor remove another holder's info.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { LocalFileLockAdapter } from '../../src/lock/local-file-lock-adapter.js';
import { newLockInfo } from '../../src/lock/lock-info.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'velocity-local-info-'));
  writeFileSync(join(dir, 'terraform.tfstate'), '{}');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const infoPath = (): string => join(dir, '.terraform.tfstate.lock.info');

it('writes the info file (and nothing else) and removes it on release', async () => {
  const lease = await new LocalFileLockAdapter(join(dir, 'terraform.tfstate')).tryAcquire(newLockInfo({ operation: 'test' }));
  expect(JSON.parse(readFileSync(infoPath(), 'utf8')).Operation).toBe('test');
  expect(readdirSync(dir).sort()).toEqual(['.terraform.tfstate.lock.info', 'terraform.tfstate']);
  await lease.release();
  expect(existsSync(infoPath())).toBe(false);
});

it('leaves a half-written info file of another process alone and releases without an error', async () => {
  const lease = await new LocalFileLockAdapter(join(dir, 'terraform.tfstate')).tryAcquire(newLockInfo());
  writeFileSync(infoPath(), '{"ID":"other-pro');
  await expect(lease.release()).resolves.toBeUndefined();
  expect(readFileSync(infoPath(), 'utf8')).toBe('{"ID":"other-pro');
});

it('leaves another holder\'s complete info file alone', async () => {
  const lease = await new LocalFileLockAdapter(join(dir, 'terraform.tfstate')).tryAcquire(newLockInfo());
  const other = JSON.stringify(newLockInfo({ operation: 'other' }));
  writeFileSync(infoPath(), other);
  await lease.release();
  expect(readFileSync(infoPath(), 'utf8')).toBe(other);
});
