// Runs the CLI in-process with captured output, the way `velocity` would run it in `cwd`.

import { Readable } from 'node:stream';
import { run } from '../../src/cli/run.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(argv: readonly string[], cwd: string = process.cwd()): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    stdin: Readable.from([]),
    env: {},
    cwd,
    isTTY: false,
  });
  return { code, stdout, stderr };
}
