// Local commit: the state file becomes the merged state (serial = plan serial + 1), the previous bytes are kept in
// terraform.tfstate.backup (replacing an older backup), the lock is released, the file's permissions and the
// sub-state are kept; a sub-state
// still at the slice's serial is 'unchanged' and nothing is written.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitSubState } from '../../src/apply/commit-sub-state.js';
import { mergeSubState } from '../../src/inject/merge-sub-state.js';
import { LocalFileLockAdapter } from '../../src/lock/local-file-lock-adapter.js';
import { entry, keyOf, stateDoc, writeStates } from '../support/merge-states.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'velocity-commit-local-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const owned = { resources: [keyOf(entry('a', []))], outputs: [] };

describe('commitSubState local write', () => {
  it('writes the merged state, keeps the previous one as the backup and releases the lock', async () => {
    const paths = writeStates(dir, stateDoc([entry('a', ['a1']), entry('b', ['b1'])], {}, { serial: 7, lineage: 'L' }), stateDoc([entry('a', ['a2'])], {}, { serial: 8, lineage: 'L' }));
    writeFileSync(`${paths.real}.backup`, 'an older backup');
    const before = readFileSync(paths.real);
    const sub = readFileSync(paths.sub);
    await mergeSubState({ real: { path: paths.real }, sub: paths.sub, owned, serial: 8, out: join(dir, 'expected.json') });
    const expected = readFileSync(join(dir, 'expected.json'));
    rmSync(join(dir, 'expected.json'));
    const result = await commitSubState({ target: { kind: 'local', path: paths.real, lock: true, lockTimeoutMs: 0 }, expected: { serial: 7, lineage: 'L' }, subState: paths.sub, sliceSerial: 7, owned, tmpDir: join(dir, 'tmp') });
    expect(result).toMatchObject({ kind: 'written', serial: 8, summary: { resources: { replaced: 1, added: 0, removed: 0 } } });
    expect(readFileSync(paths.real).equals(expected)).toBe(true);
    expect(readFileSync(`${paths.real}.backup`).equals(before)).toBe(true);
    expect(readFileSync(paths.sub).equals(sub)).toBe(true);
    expect(await new LocalFileLockAdapter(paths.real).inspect()).toBeUndefined();
    expect(readdirSync(dir).sort()).toEqual(['real.tfstate', 'real.tfstate.backup', 'sub.tfstate']);
  });

  it('keeps the state file permissions', async () => {
    const paths = writeStates(dir, stateDoc([entry('a', ['a1'])], {}, { serial: 7, lineage: 'L' }), stateDoc([entry('a', ['a2'])], {}, { serial: 8, lineage: 'L' }));
    chmodSync(paths.real, 0o600);
    await commitSubState({ target: { kind: 'local', path: paths.real, lock: true, lockTimeoutMs: 0 }, expected: { serial: 7, lineage: 'L' }, subState: paths.sub, sliceSerial: 7, owned, tmpDir: join(dir, 'tmp') });
    expect(statSync(paths.real).mode & 0o777).toBe(0o600);
  });

  it("returns 'unchanged' for a sub-state still at the slice's serial", async () => {
    const paths = writeStates(dir, stateDoc([entry('a', ['a1'])], {}, { serial: 7, lineage: 'L' }), stateDoc([entry('a', ['a1'])], {}, { serial: 7, lineage: 'L' }));
    const before = readFileSync(paths.real);
    const result = await commitSubState({ target: { kind: 'local', path: paths.real, lock: true, lockTimeoutMs: 0 }, expected: { serial: 7, lineage: 'L' }, subState: paths.sub, sliceSerial: 7, owned, tmpDir: join(dir, 'tmp') });
    expect(result).toEqual({ kind: 'unchanged' });
    expect(readFileSync(paths.real).equals(before)).toBe(true);
    expect(existsSync(`${paths.real}.backup`)).toBe(false);
  });
});
