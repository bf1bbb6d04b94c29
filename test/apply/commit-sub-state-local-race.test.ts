// Local commits racing from several processes, all made against the same plan serial: exactly one writes its
// merged state, every other one waits for the lock and then finds the state moved (STATE_MOVED), never overwriting.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entry, keyOf, stateDoc, terraformText } from '../support/merge-states.js';

const CHILD = resolve(import.meta.dirname, '../support/commit-sub-state-child.ts');
const RACERS = 4;

function run(options: object): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((done, fail) => child.on('close', (code) => (code === 0 || code === 3 ? done(out) : fail(new Error(`child exited ${code}: ${err}`)))));
}

describe('commitSubState local, racing processes', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'velocity-commit-race-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lets exactly one commit write; the others find the state moved', async () => {
    const pad = 'z'.repeat(500);
    const real = join(dir, 'terraform.tfstate');
    writeFileSync(real, terraformText(stateDoc([...Array.from({ length: 3000 }, (_, n) => entry(`r${n}`, [`${n}${pad}`])), entry('a', ['a1'])], {}, { serial: 7, lineage: 'L' })));
    const racers = Array.from({ length: RACERS }, (_, n) => {
      const sub = join(dir, `sub${n}.tfstate`);
      writeFileSync(sub, terraformText(stateDoc([entry('a', [`from-${n}`])], {}, { serial: 8, lineage: 'L' })));
      return { target: { kind: 'local', path: real, lock: true, lockTimeoutMs: 30_000 }, expected: { serial: 7, lineage: 'L' }, subState: sub, sliceSerial: 7, owned: { resources: [keyOf(entry('a', []))], outputs: [] }, tmpDir: join(dir, 'tmp') };
    });
    const outs = await Promise.all(racers.map(run));
    const winners = outs.map((o, n) => (/^done \d+ 8$/m.test(o) ? n : -1)).filter((n) => n >= 0);
    expect(winners).toHaveLength(1);
    expect(outs.filter((o) => /^error STATE_MOVED$/m.test(o))).toHaveLength(RACERS - 1);
    const merged = JSON.parse(readFileSync(real, 'utf8')) as { serial: number; resources: { name: string; instances: { attributes: { id: string } }[] }[] };
    expect(merged.serial).toBe(8);
    expect(merged.resources.find((r) => r.name === 'a')?.instances[0]?.attributes.id).toBe(`from-${winners[0]}`);
  }, 120_000);
});
