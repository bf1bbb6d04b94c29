// Asks the binary what it is (`<bin> version`): OpenTofu or Terraform, and which version. The answer decides
// features: OpenTofu >= 1.10 reads `-target-file`, Terraform >= 1.17 `plan -minimal-refresh`. Guarantees: never
// guesses a feature the binary lacks (a pre-release of the first version that has it counts as not having it).

import { BinaryOutputError } from './tf-errors.js';
import { runBinary, type RunBinaryOptions } from './run-binary.js';

export interface BinaryVersion {
  readonly flavor: 'tofu' | 'terraform';
  /** `1.11.4` (pre-release suffixes kept, e.g. `1.10.0-beta1`). */
  readonly version: string;
  /** The pre-release part without its dash (`beta1`, `dev`), undefined for a release. */
  readonly prerelease: string | undefined;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** `plan -target-file=FILE` is accepted (OpenTofu >= 1.10). */
  readonly supportsTargetFile: boolean;
  /**
   * `plan -minimal-refresh` is accepted (Terraform >= 1.17.0; not OpenTofu). A pre-release of 1.17.0 itself
   * (`1.17.0-alpha…`, `-beta1`, `-rc1`, `-dev`) does not count: the flag may not be in it yet. A pre-release of a
   * later version (`1.17.1-rc1`, `1.18.0-beta1`) comes after 1.17.0 and does.
   */
  readonly supportsMinimalRefresh: boolean;
}

/** `major.minor.patch[-pre]` >= `at` (a release) in semver order: a pre-release sorts before its release. O(1). */
function atLeast(v: { major: number; minor: number; patch: number; prerelease: string | undefined }, at: readonly [number, number, number]): boolean {
  const order = v.major - at[0] || v.minor - at[1] || v.patch - at[2];
  return order > 0 || (order === 0 && v.prerelease === undefined);
}

/** Parses the first line of `<bin> version`: `OpenTofu v1.10.2` or `Terraform v1.11.4`. O(length). */
export function parseBinaryVersion(text: string): BinaryVersion {
  const m = /^(OpenTofu|Terraform) v(\d+)\.(\d+)\.(\d+)(\S*)/m.exec(text);
  if (!m) throw new BinaryOutputError(`cannot read a version from \`version\` output: ${JSON.stringify(text.slice(0, 200))}`);
  const flavor = m[1] === 'OpenTofu' ? 'tofu' : 'terraform';
  const major = Number(m[2]);
  const minor = Number(m[3]);
  const patch = Number(m[4]);
  // `-beta1` is a pre-release; `+ent` build metadata is not (semver), and does not change what the binary accepts.
  const prerelease = /^-([^+]*)/.exec(m[5] ?? '')?.[1];
  const v = { major, minor, patch, prerelease };
  return {
    flavor,
    version: `${major}.${minor}.${patch}${m[5] ?? ''}`,
    major,
    minor,
    patch,
    prerelease,
    supportsTargetFile: flavor === 'tofu' && (major > 1 || (major === 1 && minor >= 10)),
    supportsMinimalRefresh: flavor === 'terraform' && atLeast(v, [1, 17, 0]),
  };
}

/** Runs `<bin> version` and parses it. One process start (~50 ms). */
export async function detectBinaryVersion(binary: string, options: Pick<RunBinaryOptions, 'cwd' | 'env' | 'signal' | 'timeoutMs'> = {}): Promise<BinaryVersion> {
  const result = await runBinary(binary, ['version'], { ...options, throwOnError: true, timeoutMs: options.timeoutMs ?? 30_000 });
  return parseBinaryVersion(result.stdout);
}
