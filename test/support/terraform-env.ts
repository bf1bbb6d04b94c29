// The one way every test and bench finds the real binary: VELOCITY_TF_BINARY, then `tofu`, then `terraform` on
// PATH (the product's own findBinary), or undefined when absent (tests then skip and say why); and an environment
// that never phones home (checkpoint off via a private CLI config file).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findBinary } from '../../src/tf/find-binary.js';

function locate(): string | undefined {
  try {
    return findBinary({ env: process.env }).path;
  } catch {
    return undefined;
  }
}

/** Absolute path of the binary (VELOCITY_TF_BINARY, else tofu, else terraform on PATH), or undefined when none is found. */
export const tfBinary: string | undefined = locate();

let configFile: string | undefined;

/** process.env plus TF_CLI_CONFIG_FILE pointing at `disable_checkpoint = true`, and TF_IN_AUTOMATION. */
export function tfEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  if (!configFile) {
    // NOTE: one fixed file in the git-ignored .velocity-cache/, so no temp dir is left behind per test file.
    const dir = resolve(import.meta.dirname, '../..', '.velocity-cache');
    mkdirSync(dir, { recursive: true });
    configFile = join(dir, 'terraformrc');
    writeFileSync(configFile, 'disable_checkpoint = true\n');
  }
  return { ...process.env, TF_CLI_CONFIG_FILE: configFile, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', ...extra };
}
