// Test helper: a throw-away Terraform workspace whose apply holds the state lock for a few seconds
// (`terraform_data` + `local-exec sleep`, both built in: no provider download), and a runner for the real binary.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tfBinary } from '../../support/terraform-env.js';

/** The binary (test/support/terraform-env.ts tfBinary: VELOCITY_TF_BINARY, tofu, terraform on PATH). */
export const TERRAFORM = tfBinary ?? 'terraform';
export const hasTerraform = tfBinary !== undefined;

export interface TfResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Workspace {
  readonly dir: string;
  run(args: readonly string[], timeoutMs?: number): Promise<TfResult>;
  /** Starts a command and returns the child plus a promise of its result. */
  start(args: readonly string[], timeoutMs?: number): { child: ChildProcess; done: Promise<TfResult> };
  dispose(): Promise<void>;
}

/** Creates a workspace with `backendBlock` (HCL inside `terraform {}`, or '' for local) and a resource whose creation sleeps `sleepSeconds`. */
export async function makeWorkspace(backendBlock: string, sleepSeconds: number): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'velocity-tf-'));
  await writeFile(
    join(dir, 'main.tf'),
    `terraform {\n${backendBlock}\n}\n\nresource "terraform_data" "slow" {\n  input = "x"\n  provisioner "local-exec" {\n    command = "sleep ${sleepSeconds}"\n  }\n}\n`,
  );
  const env = { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' };
  const start = (args: readonly string[], timeoutMs = 60_000) => {
    const child = spawn(TERRAFORM, [...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const done = new Promise<TfResult>((resolve) =>
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      }),
    );
    return { child, done };
  };
  return {
    dir,
    start,
    run: (args, timeoutMs) => start(args, timeoutMs).done,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Polls `check` every 50 ms until it returns true or `timeoutMs` passes (then throws). */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
