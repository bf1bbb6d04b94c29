// readLocalState takes Terraform's local lock for the read (honouring -lock=false and -lock-timeout) and, unlocked,
// retries a torn read (truncated/empty while being rewritten) instead of returning it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StateParseError } from '../../src/errors.js';
import { loadStateGraph } from '../../src/graph/load-state-graph.js';
import { newLockInfo } from '../../src/lock/lock-info.js';
import { LocalFileLockAdapter } from '../../src/lock/local-file-lock-adapter.js';
import { readLocalState } from '../../src/tf/read-local-state.js';
import { stateJson } from '../support/state-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'velocity-readlock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = join(dir, 'terraform.tfstate');
writeFileSync(path, stateJson([{ type: 'terraform_data', name: 'a' }, { type: 'terraform_data', name: 'b' }]));
const loadOptions = { cache: false } as const;

describe('readLocalState', () => {
  it('reads under the lock, reports a held lock with its holder, and waits up to the lock timeout', async () => {
    const free = await readLocalState(path, { loadOptions });
    expect(free).toMatchObject({ kind: 'read', underLock: true });
    const adapter = new LocalFileLockAdapter(path);
    const lease = await adapter.tryAcquire(newLockInfo({ operation: 'OperationTypeApply', who: 'apply@host' }));
    try {
      expect(await readLocalState(path, { loadOptions })).toMatchObject({ kind: 'locked', holder: { Who: 'apply@host' } });
      const unlocked = await readLocalState(path, { lock: false, loadOptions });
      expect(unlocked).toMatchObject({ kind: 'read', underLock: false });
      const waiting = readLocalState(path, { lockTimeoutMs: 10_000, loadOptions });
      setTimeout(() => void lease.release(), 200);
      const read = await waiting;
      expect(read).toMatchObject({ kind: 'read', underLock: true });
      if (read.kind === 'read') expect(read.loaded.graph.size).toBe(2);
    } finally {
      await lease.release();
    }
  });

  it('retries a torn read when unlocked, and gives up with the typed error after the retries', async () => {
    let calls = 0;
    const flaky = async (p: string) => {
      calls++;
      if (calls < 3) throw new StateParseError(calls === 1 ? 'STATE_EMPTY' : 'STATE_TRUNCATED', 'torn');
      return loadStateGraph(p, loadOptions);
    };
    const read = await readLocalState(path, { lock: false, load: flaky });
    expect(read).toMatchObject({ kind: 'read', attempts: 3 });
    const broken = async () => {
      throw new StateParseError('STATE_TRUNCATED', 'always torn');
    };
    await expect(readLocalState(path, { lock: false, load: broken, retries: 2 })).rejects.toMatchObject({ code: 'STATE_TRUNCATED' });
  });
});
