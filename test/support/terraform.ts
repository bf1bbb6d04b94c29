// Test access to the real tofu/terraform binary: which one exists, and a runner that fails loudly with its output.
import { execFileSync, execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** `tofu` if on PATH, else `terraform`, else undefined (tests then skip; .ci/run fails earlier). */
export const tfBinary: string | undefined = (() => {
  for (const bin of ['tofu', 'terraform']) {
    try {
      execFileSync(bin, ['version'], { stdio: 'ignore' });
      return bin;
    } catch {
      // not on PATH
    }
  }
  return undefined;
})();

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
