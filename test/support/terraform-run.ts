// Test support: runs the real binary asynchronously (an in-process HTTP backend keeps answering) with the shared
// no-phone-home environment, and returns its exit code and output instead of throwing.
import { execFile } from 'node:child_process';
import { tfBinary, tfEnv } from './terraform-env.js';

export interface TfRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function tfRun(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = tfEnv()): Promise<TfRun> {
  if (!tfBinary) throw new Error('no tofu/terraform binary');
  const binary = tfBinary;
  return new Promise((resolve) => {
    execFile(binary, args, { cwd, env, maxBuffer: 256 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Like tfRun, but a non-zero exit fails the test with the output. */
export async function tfOk(cwd: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const r = await tfRun(cwd, args, env);
  if (r.code !== 0) throw new Error(`${tfBinary} ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}
