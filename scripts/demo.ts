// `npm run demo`: velocity plan and apply on the bundled example workspace (fixtures/demo: terraform_data, three
// customers). Works in a temporary copy so the repository stays clean: init, apply if the copy has no state, then
// change one device's firmware with -var: `velocity plan` prints the savings line, `velocity apply -auto-approve`
// applies the cone in a sub-workspace and merges it into the state, and a full `plan -detailed-exitcode` confirms
// nothing is left to do. Without tofu/terraform it falls back to `velocity scope` on the bundled state file.

import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run } from '../src/cli/run.js';
import type { CliIo } from '../src/cli/cli-io.js';
import { findBinary } from '../src/tf/find-binary.js';
import { runBinary } from '../src/tf/run-binary.js';

const root = resolve(import.meta.dirname, '..');
const fixture = join(root, 'fixtures', 'demo');
const device = 'module.customer["acme"].terraform_data.device["d2"]';

function io(cwd: string, env: NodeJS.ProcessEnv): CliIo {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    stdin: process.stdin,
    env,
    cwd,
    isTTY: Boolean(process.stderr.isTTY),
  };
}

async function main(): Promise<number> {
  let binary: string;
  try {
    binary = findBinary().path;
  } catch {
    process.stdout.write('No tofu/terraform on PATH: showing `velocity scope` on the bundled state instead.\n\n');
    return run(['scope', '--state', join(fixture, 'terraform.tfstate'), '--changed', device], io(root, process.env));
  }
  const dir = mkdtempSync(join(tmpdir(), 'velocity-demo-'));
  try {
    cpSync(fixture, dir, { recursive: true });
    const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
    const cliConfig = env['TF_CLI_CONFIG_FILE'];
    if (cliConfig !== undefined && !existsSync(cliConfig)) {
      // A CLI config that does not exist makes terraform print a warning box before every command: use an empty one.
      env['TF_CLI_CONFIG_FILE'] = join(dir, '.velocity-demo.tfrc');
      writeFileSync(env['TF_CLI_CONFIG_FILE'], 'disable_checkpoint = true\n');
    }
    const step = async (args: string[]): Promise<void> => {
      const r = await runBinary(binary, args, { cwd: dir, env, timeoutMs: 300_000 });
      if (r.exitCode !== 0) throw new Error(`${binary} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
    };
    process.stdout.write(`velocity demo: ${binary} on a copy of fixtures/demo in ${dir}\n`);
    await step(['init', '-input=false', '-no-color']);
    if (!existsSync(join(dir, 'terraform.tfstate'))) {
      process.stdout.write('no state yet: applying the example first\n');
      await step(['apply', '-auto-approve', '-input=false', '-no-color']);
    }
    const change = '-var=device_firmware={"acme/d2"="2.0"}';
    process.stdout.write(`\n$ velocity plan '${change}'\n\n`);
    const planned = await run(['plan', change], io(dir, env));
    if (planned !== 0) return planned;
    process.stdout.write(`\n$ velocity apply -auto-approve '${change}'\n\n`);
    const applied = await run(['apply', '-auto-approve', change], io(dir, env));
    if (applied !== 0) return applied;
    process.stdout.write(`\n$ ${binary} plan -detailed-exitcode '${change}'   # the full plan: nothing left to do\n`);
    const full = await runBinary(binary, ['plan', '-detailed-exitcode', '-input=false', '-no-color', change], { cwd: dir, env, timeoutMs: 300_000 });
    process.stdout.write(full.exitCode === 0 ? 'No changes (exit 0).\n' : `${full.stdout}${full.stderr}`);
    return full.exitCode ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
