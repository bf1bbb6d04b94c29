// Asks the binary what it is (`<bin> version`): OpenTofu or Terraform, and which version. The answer decides
// features: OpenTofu >= 1.10 reads `-target-file`. Guarantees: never guesses a feature the binary lacks.

import { BinaryOutputError } from './tf-errors.js';
import { runBinary, type RunBinaryOptions } from './run-binary.js';

export interface BinaryVersion {
  readonly flavor: 'tofu' | 'terraform';
  /** `1.11.4` (pre-release suffixes kept, e.g. `1.10.0-beta1`). */
  readonly version: string;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** `plan -target-file=FILE` is accepted (OpenTofu >= 1.10). */
  readonly supportsTargetFile: boolean;
}

/** Parses the first line of `<bin> version`: `OpenTofu v1.10.2` or `Terraform v1.11.4`. O(length). */
export function parseBinaryVersion(text: string): BinaryVersion {
  const m = /^(OpenTofu|Terraform) v(\d+)\.(\d+)\.(\d+)(\S*)/m.exec(text);
  if (!m) throw new BinaryOutputError(`cannot read a version from \`version\` output: ${JSON.stringify(text.slice(0, 200))}`);
  const flavor = m[1] === 'OpenTofu' ? 'tofu' : 'terraform';
  const major = Number(m[2]);
  const minor = Number(m[3]);
  const patch = Number(m[4]);
  return {
    flavor,
    version: `${major}.${minor}.${patch}${m[5] ?? ''}`,
    major,
    minor,
    patch,
    supportsTargetFile: flavor === 'tofu' && (major > 1 || (major === 1 && minor >= 10)),
  };
}

/** Runs `<bin> version` and parses it. One process start (~50 ms). */
export async function detectBinaryVersion(binary: string, options: Pick<RunBinaryOptions, 'cwd' | 'env' | 'signal' | 'timeoutMs'> = {}): Promise<BinaryVersion> {
  const result = await runBinary(binary, ['version'], { ...options, throwOnError: true, timeoutMs: options.timeoutMs ?? 30_000 });
  return parseBinaryVersion(result.stdout);
}
