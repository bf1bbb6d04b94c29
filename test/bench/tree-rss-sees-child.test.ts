// The tree sampler of `npm run bench:inject` counts a child's memory: a small parent whose child holds 192 MiB
// gives a tree peak above 192 MiB while the parent's own VmRSS stays far below it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startTreeRssSampler } from '../../bench/tree-rss.js';

const HELD_MIB = 192;
// The child fills (touches) every page of its buffer, says so, and exits after at most 60 s.
const CHILD = `const b = Buffer.alloc(${HELD_MIB} * 1024 * 1024, 1); console.log('ready', b.length); setTimeout(() => {}, 60000);`;
const PARENT = `const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(CHILD)}], { stdio: ['ignore', 'inherit', 'inherit'] });
process.on('SIGTERM', () => { c.kill('SIGKILL'); process.exit(0); });
c.on('exit', () => process.exit(0));`;

const ownRssKiB = (pid: number): number => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);

describe.skipIf(process.platform !== 'linux')('tree-rss', () => {
  it("sums a child's resident memory into the tree's peak", async () => {
    const parent = spawn(process.execPath, ['-e', PARENT], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((done) => parent.on('exit', () => done()));
    const sampler = startTreeRssSampler(parent.pid as number, 20);
    try {
      await new Promise<void>((done, fail) => {
        parent.stdout.on('data', (c: Buffer) => c.toString().includes('ready') && done());
        parent.on('exit', () => fail(new Error('the parent exited before its child was ready')));
      });
      const parentOwn = ownRssKiB(parent.pid as number);
      // At least three samples after the child holds its memory (bounded wait: 200 × 50 ms).
      const after = sampler.current().samples + 3;
      for (let i = 0; i < 200 && sampler.current().samples < after; i++) await new Promise((r) => setTimeout(r, 50));
      const r = sampler.stop();
      expect(r.samples).toBeGreaterThanOrEqual(after);
      expect(parentOwn).toBeLessThan(HELD_MIB * 1024);
      expect(r.peakKiB).toBeGreaterThan(HELD_MIB * 1024 + parentOwn * 0.5);
      expect(r.peakProcesses).toBe(2);
      expect(r.hwmSumKiB).toBeGreaterThanOrEqual(r.peakKiB);
    } finally {
      sampler.stop();
      parent.kill('SIGTERM');
      await exited;
    }
  });
});
