// runBinary with an InterruptSource signal: each interrupt reaches the child exactly once, its output keeps streaming
// until it exits, the promise resolves with its own exit, it runs in its own process group, and no run starts after.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InterruptSource } from '../../src/tf/interrupt-source.js';
import { runBinary } from '../../src/tf/run-binary.js';

const node = process.execPath;

/** A child that reports every SIGINT/SIGTERM it gets, keeps printing, and exits 7 on the second one. */
const TRAPPER = `
let n = 0;
const fs = require('node:fs');
const stat = fs.readFileSync('/proc/self/stat', 'utf8');
const pgrp = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2];
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => {
  n++;
  console.log('got ' + sig + ' ' + n);
  setTimeout(() => { console.log('still here after ' + n); if (n >= 2) process.exit(7); }, 50);
});
// NOTE: 'ready' only once the handlers are installed: an interrupt sent earlier would kill the child outright.
console.log('ready pid=' + process.pid + ' pgrp=' + pgrp);
setInterval(() => {}, 1000);
`;

function waitForLine(lines: string[], pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const end = Date.now() + 20_000;
    const poll = (): void => {
      if (lines.some((l) => pattern.test(l))) resolve();
      else if (Date.now() > end) reject(new Error(`no line matching ${pattern}: ${lines.join(' | ')}`));
      else setTimeout(poll, 10);
    };
    poll();
  });
}

describe.runIf(process.platform === 'linux')('runBinary forwarding interrupts', () => {
  it('forwards each interrupt once, keeps streaming, resolves with the exit code; then starts no other run', async () => {
    const source = new InterruptSource();
    const lines: string[] = [];
    const running = runBinary(node, ['-e', TRAPPER], { signal: source.signal, onLine: (_s, l) => lines.push(l) });
    await waitForLine(lines, /^ready/);
    source.interrupt('SIGINT');
    await waitForLine(lines, /^still here after 1$/);
    expect(source.busy).toBe(true);
    source.interrupt('SIGINT');
    const result = await running;
    expect(result.exitCode).toBe(7);
    expect(result.interrupted).toBe('SIGINT');
    expect(lines.filter((l) => l.startsWith('got '))).toEqual(['got SIGINT 1', 'got SIGINT 2']);
    expect(lines).toContain('still here after 2');
    await source.idle();
    expect(source.busy).toBe(false);
    // A path that does not exist: starting it would reject with ENOENT.
    await expect(runBinary('/nonexistent/velocity-no-such-binary', [], { signal: source.signal })).rejects.toMatchObject({ code: 'TF_INTERRUPTED', interrupt: 'SIGINT' });
  });

  it('runs the child in its own process group and forwards SIGTERM as SIGTERM', async () => {
    const source = new InterruptSource();
    const lines: string[] = [];
    const running = runBinary(node, ['-e', TRAPPER], { signal: source.signal, onLine: (_s, l) => lines.push(l) });
    await waitForLine(lines, /^ready/);
    const [, pid, pgrp] = /pid=(\d+) pgrp=(\d+)/.exec(lines[0] as string) ?? [];
    expect(pgrp).toBe(pid);
    source.interrupt('SIGTERM');
    await waitForLine(lines, /^still here after 1$/);
    source.interrupt('EPIPE');
    const result = await running;
    expect(lines.filter((l) => l.startsWith('got '))).toEqual(['got SIGTERM 1', 'got SIGINT 2']);
    expect(result).toMatchObject({ exitCode: 7, interrupted: 'SIGTERM' });
  });

  it('an ordinary AbortSignal still kills the child (TF_ABORTED) and keeps it in the parent group', async () => {
    const ac = new AbortController();
    const lines: string[] = [];
    const running = runBinary(node, ['-e', 'const s=require("fs").readFileSync("/proc/self/stat","utf8");console.log(s.slice(s.lastIndexOf(")")+2).split(" ")[2]);setInterval(()=>{},1000)'], {
      signal: ac.signal,
      onLine: (_s, l) => lines.push(l),
    });
    await waitForLine(lines, /^\d+$/);
    const self = readPgrp();
    expect(lines[0]).toBe(self);
    ac.abort();
    await expect(running).rejects.toMatchObject({ code: 'TF_ABORTED' });
  });
});

function readPgrp(): string {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2] as string;
}
