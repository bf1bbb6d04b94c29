// Local commit killed with SIGKILL at random moments (bounded: 20 kills): the state file is always exactly the old
// bytes or exactly the merged bytes, never a mix or a truncation, and the sub-state is never deleted or changed;
// the next commit removes the temp files the killed ones left.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeSubState } from '../../src/inject/merge-sub-state.js';
import { entry, keyOf, stateDoc, writeStates } from '../support/merge-states.js';

const CHILD = resolve(import.meta.dirname, '../support/commit-sub-state-child.ts');
const KILLS = 20;

/** Runs the child; kills it `killAfterMs` after it printed `start` (never, when undefined). Resolves its `done` time. */
function runChild(options: object, killAfterMs: number | undefined): Promise<number | undefined> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((done, fail) => {
    child.stdout.on('data', (c: Buffer) => {
      const started = !out.includes('start');
      out += c.toString();
      if (started && out.includes('start') && killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.on('close', (code, signal) => {
      const ms = /done (\d+)/.exec(out)?.[1];
      if (code !== 0 && signal !== 'SIGKILL') fail(new Error(`child exited ${code}: ${err}`));
      else done(ms === undefined ? undefined : Number(ms));
    });
  });
}

describe('commitSubState local, killed at random moments', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'velocity-commit-kill-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves the old state or the merged state, never anything else', async () => {
    // ~10 MB of untouched entries around the owned ones, so a kill lands inside the merge too.
    const pad = 'x'.repeat(900);
    const many = Array.from({ length: 10_000 }, (_, n) => entry(`r${String(n).padStart(5, '0')}`, [`${n}-${pad}`]));
    const realDoc = stateDoc([...many, entry('a', ['a1'])], {}, { serial: 7, lineage: 'L' });
    const paths = writeStates(dir, realDoc, stateDoc([entry('a', ['a2']), entry('new', ['n1'])], {}, { serial: 8, lineage: 'L' }));
    const old = readFileSync(paths.real);
    const sub = readFileSync(paths.sub);
    const owned = { resources: [keyOf(entry('a', []))], outputs: [] };
    await mergeSubState({ real: { path: paths.real }, sub: paths.sub, owned, serial: 8, out: join(dir, 'expected.json') });
    const merged = readFileSync(join(dir, 'expected.json'));
    const options = { target: { kind: 'local', path: paths.real, lock: true, lockTimeoutMs: 2000 }, expected: { serial: 7, lineage: 'L' }, subState: paths.sub, sliceSerial: 7, owned, tmpDir: join(dir, 'tmp') };
    const full = await runChild(options, undefined);
    expect(readFileSync(paths.real).equals(merged)).toBe(true);
    const window = Math.max(20, Math.round((full ?? 200) * 1.3));
    const seen = { old: 0, merged: 0 };
    for (let k = 0; k < KILLS; k++) {
      writeFileSync(paths.real, old);
      await runChild(options, Math.floor(Math.random() * window));
      const now = readFileSync(paths.real);
      const isOld = now.equals(old);
      expect(isOld || now.equals(merged)).toBe(true);
      seen[isOld ? 'old' : 'merged']++;
      expect(readFileSync(paths.sub).equals(sub)).toBe(true);
    }
    expect(seen.old + seen.merged).toBe(KILLS);
    // The next complete commit removes the temp files the killed ones left behind.
    writeFileSync(paths.real, old);
    await runChild(options, undefined);
    expect(readFileSync(paths.real).equals(merged)).toBe(true);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, 240_000);
});
