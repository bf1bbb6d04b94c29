// The progress bar appears only on a terminal and only once an operation has run for over a second; it is
// removed when stopped. Off a terminal it writes nothing at all.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-io.js';
import { createProgressBar } from '../../src/cli/progress-bar.js';

function io(isTTY: boolean): CliIo & { err: string } {
  const r = { err: '', stdout: () => undefined, stderr: (s: string) => void (r.err += s), stdin: new PassThrough(), env: {}, cwd: '/', isTTY };
  return r;
}

describe('progress bar', () => {
  it('is silent when stderr is not a terminal', () => {
    const t = io(false);
    let clock = 0;
    const bar = createProgressBar(t, { label: 'loading', total: 100 << 20, now: () => clock });
    clock = 5000;
    bar.update(50 << 20);
    bar.stop();
    expect(t.err).toBe('');
  });

  it('stays hidden for quick operations', () => {
    const t = io(true);
    let clock = 0;
    const bar = createProgressBar(t, { label: 'loading', total: 100 << 20, now: () => clock });
    clock = 900;
    bar.update(100 << 20);
    bar.stop();
    expect(t.err).toBe('');
  });

  it('shows label, percentage and megabytes after a second on a terminal', () => {
    const t = io(true);
    let clock = 0;
    const bar = createProgressBar(t, { label: 'loading state', total: 200 << 20, now: () => clock });
    clock = 1500;
    bar.update(50 << 20);
    bar.stop();
    expect(t.err).toContain('loading state');
    expect(t.err).toContain('25%');
    expect(t.err).toContain('50 MB/200 MB');
    bar.update(60 << 20); // after stop: ignored
    expect(t.err).not.toContain('30%');
  });
});
