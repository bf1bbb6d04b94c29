// Test support: a bash script standing in for tofu/terraform, for behaviour the real 1.11 binary cannot show (a
// newer version's flags, a failing probe). It answers `version` with the given text, `state pull` with the given
// state, `plan` with the given lines and exit code, and records every invocation's argv.
// Guarantees: only bash builtins (runs with any PATH); argv recorded exactly (any bytes but \x1e and \x1f).

import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeBinaryOptions {
  /** First line(s) of `version`, e.g. `Terraform v1.17.0`. */
  readonly version: string;
  /** The tfstate text `state pull` prints (see stateJson); without it `state pull` fails (exit 1). */
  readonly state?: string;
  /** stdout lines of every `plan` (a probe plan included). @default [] */
  readonly planLines?: readonly string[];
  /** Exit code of every `plan`. @default 0 */
  readonly planExitCode?: number;
}

export interface FakeBinary {
  /** The script (also the directory's `terraform`). */
  readonly path: string;
  /** Its directory: a workspace directory for the test, too. */
  readonly dir: string;
  /** The argv of every call whose subcommand (first argument not starting with `-`) is `sub`, in call order. */
  calls(sub: string): string[][];
  cleanup(): void;
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export function fakeBinary(options: FakeBinaryOptions): FakeBinary {
  const dir = mkdtempSync(join(tmpdir(), 'velocity-fakebin-'));
  const path = join(dir, 'terraform');
  const log = join(dir, 'calls.log');
  const files = { version: join(dir, 'version.txt'), state: join(dir, 'state.json'), plan: join(dir, 'plan.txt') };
  writeFileSync(files.version, `${options.version}\n`);
  if (options.state !== undefined) writeFileSync(files.state, options.state);
  writeFileSync(files.plan, (options.planLines ?? []).map((l) => `${l}\n`).join(''));
  // NOTE: one printf per call (O_APPEND): `version` and `state pull` run concurrently, their records must not interleave.
  writeFileSync(
    path,
    `#!/bin/bash
rec=""
for a in "$@"; do rec+="$a"$'\\x1f'; done
printf '%s\\x1e' "$rec" >> ${quote(log)}
sub=""
for a in "$@"; do case "$a" in -*) ;; *) sub="$a"; break ;; esac; done
case "$sub" in
  version) printf '%s' "$(<${quote(files.version)})"; echo ;;
  state) [ -f ${quote(files.state)} ] || { echo 'Error: no state' >&2; exit 1; }; printf '%s\\n' "$(<${quote(files.state)})" ;;
  plan) while IFS= read -r line; do printf '%s\\n' "$line"; done < ${quote(files.plan)}; exit ${options.planExitCode ?? 0} ;;
  *) echo "fake binary: $sub not scripted" >&2; exit 1 ;;
esac
`,
  );
  chmodSync(path, 0o755);
  return {
    path,
    dir,
    calls(sub) {
      if (!existsSync(log)) return [];
      return readFileSync(log, 'utf8')
        .split('\x1e')
        .slice(0, -1)
        .map((r) => r.split('\x1f').slice(0, -1))
        .filter((argv) => argv.find((a) => !a.startsWith('-')) === sub);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
