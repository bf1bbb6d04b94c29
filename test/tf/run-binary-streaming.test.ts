import { describe, expect, it } from 'vitest';
import { runBinary } from '../../src/tf/run-binary.js';

const node = process.execPath;

describe('runBinary', () => {
  it('streams every line of both streams in order, including an unterminated last line, and captures output', async () => {
    const lines: string[] = [];
    const script = 'process.stdout.write("a\\r\\nb"); setTimeout(() => { process.stdout.write("c\\nd"); process.stderr.write("e\\n"); }, 20);';
    const result = await runBinary(node, ['-e', script], { onLine: (s, l) => lines.push(`${s}:${l}`) });
    expect(result.exitCode).toBe(0);
    expect(lines.filter((l) => l.startsWith('stdout'))).toEqual(['stdout:a', 'stdout:bc', 'stdout:d']);
    expect(lines).toContain('stderr:e');
    expect(result.stdout).toBe('a\r\nbc\nd');
    expect(result.stderr).toBe('e\n');
  });

  it('passes arguments verbatim without a shell', async () => {
    const tricky = ['-var=x={"a"="b c"}', '$(echo no)', "'quoted'", '*'];
    const result = await runBinary(node, ['-e', 'console.log(JSON.stringify(process.argv.slice(1)))', '--', ...tricky]);
    expect(JSON.parse(result.stdout)).toEqual(tricky);
  });

  it('returns a non-zero exit code as data, or throws TF_EXIT_NONZERO with code and output when asked', async () => {
    const args = ['-e', 'console.error("boom"); process.exit(3)'];
    expect((await runBinary(node, args)).exitCode).toBe(3);
    await expect(runBinary(node, args, { throwOnError: true })).rejects.toMatchObject({ code: 'TF_EXIT_NONZERO', binaryExitCode: 3, stderr: 'boom\n' });
    expect((await runBinary(node, ['-e', 'process.exit(2)'], { throwOnError: true, okExitCodes: [0, 2] })).exitCode).toBe(2);
  });

  it('kills the process on timeout (TF_TIMEOUT) and on abort (TF_ABORTED)', async () => {
    const forever = ['-e', 'setInterval(() => {}, 1000)'];
    await expect(runBinary(node, forever, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'TF_TIMEOUT' });
    const ac = new AbortController();
    const p = runBinary(node, forever, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(p).rejects.toMatchObject({ code: 'TF_ABORTED' });
    await expect(runBinary(node, forever, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'TF_ABORTED' });
  });

  it('rejects with the spawn error when the file does not exist', async () => {
    await expect(runBinary('/nonexistent/velocity-no-such-binary', [])).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
