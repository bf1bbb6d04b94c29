// Runs a table of bad command lines through the CLI and checks each is a usage error (exit 2) whose stderr names
// the offending argument, with a small valid state on disk so that only the arguments can be at fault.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli } from './cli-harness.js';
import { stateJson } from './state-builder.js';

/** A bad command line (`STATE` stands for the scratch state's path) and the text its error must contain. */
export type UsageCase = readonly [argv: readonly string[], names: string];

/** `[label, case]` rows for it.each: the label is the command line as written, stable across runs. */
export const usageRows = (cases: readonly UsageCase[]): (readonly [string, UsageCase])[] => cases.map((c) => [c[0].map((a) => (a === '' ? "''" : a)).join(' '), c] as const);

export interface UsageScratch {
  /** A valid two-resource state: terraform_data.a, and terraform_data.b depending on it. */
  readonly state: string;
  readonly dir: string;
  cleanup(): void;
}

export function usageScratch(): UsageScratch {
  const dir = mkdtempSync(join(tmpdir(), 'velocity-usage-'));
  const state = join(dir, 'terraform.tfstate');
  writeFileSync(state, stateJson([{ name: 'a' }, { name: 'b', dependencies: ['terraform_data.a'] }]));
  return { state, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Asserts exit 2, nothing on stdout, and `names` in stderr, for one case. */
export async function expectUsageError(scratch: UsageScratch, [argv, names]: UsageCase): Promise<void> {
  const r = await runCli(argv.map((a) => (a === 'STATE' ? scratch.state : a)), { cwd: scratch.dir, env: { VELOCITY_CACHE_DIR: join(scratch.dir, 'cache') } });
  const shown = argv.join(' ');
  expect(r.code, `${shown}: ${r.stderr}`).toBe(2);
  expect(r.stderr, shown).toContain(names);
  expect(r.stdout, shown).toBe('');
}
