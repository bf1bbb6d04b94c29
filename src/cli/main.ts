// Process entry for the `velocity` bin: binds the real stdio to `run` and returns its exit code.
import { run } from './run.js';

export async function main(argv: readonly string[]): Promise<number> {
  return run(argv, {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stderr.isTTY),
  });
}
