// Test access to the real tofu/terraform binary: the one tfBinary (terraform-env.ts: VELOCITY_TF_BINARY, then tofu,
// then terraform on PATH), and a runner that fails loudly with its output.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tfBinary } from './terraform-env.js';

export { tfBinary };

const execFileAsync = promisify(execFile);

export const tfEnv = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };

/** Runs the binary in `cwd` and returns stdout; throws with stderr on a non-zero exit. */
export async function tf(cwd: string, args: string[]): Promise<string> {
  if (!tfBinary) throw new Error('no tofu/terraform binary');
  try {
    const { stdout } = await execFileAsync(tfBinary, args, { cwd, env: tfEnv, maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${tfBinary} ${args.join(' ')} failed: ${e.stderr ?? ''}${e.stdout ?? ''}${e.message}`);
  }
}
