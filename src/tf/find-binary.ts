// Finds the tofu/terraform binary: an explicit path (--binary), then VELOCITY_TF_BINARY, then `tofu` on PATH, then
// `terraform` on PATH. Guarantees: returns an absolute path to an executable file, or throws BinaryNotFoundError.

import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { BinaryNotFoundError } from './tf-errors.js';

/** Where a binary came from, for messages. */
export type BinarySource = 'option' | 'env' | 'path';

export interface FoundBinary {
  /** Absolute path of the executable. */
  readonly path: string;
  readonly source: BinarySource;
}

export interface FindBinaryOptions {
  /** `--binary PATH`: a path, or a bare name looked up on PATH. Wins over everything. */
  explicit?: string;
  /** Environment to read VELOCITY_TF_BINARY and PATH from. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Directory relative paths are resolved against. @default process.cwd() */
  cwd?: string;
  /** Names tried on PATH, in order. @default ['tofu', 'terraform'] */
  names?: readonly string[];
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Looks `name` up on PATH (with PATHEXT on Windows); returns the first executable match. O(|PATH|). */
function lookup(name: string, env: NodeJS.ProcessEnv, searched: string[]): string | undefined {
  const dirs = (env['PATH'] ?? env['Path'] ?? '').split(delimiter).filter((d) => d !== '');
  const exts = process.platform === 'win32' ? ['', ...(env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      searched.push(candidate);
      if (isExecutableFile(candidate)) return resolve(candidate);
    }
  }
  return undefined;
}

function resolveNamed(value: string, cwd: string, env: NodeJS.ProcessEnv, searched: string[]): string | undefined {
  if (isAbsolute(value) || value.includes('/') || value.includes('\\')) {
    const path = resolve(cwd, value);
    searched.push(path);
    return isExecutableFile(path) ? path : undefined;
  }
  return lookup(value, env, searched);
}

/**
 * Finds the binary to run. O(|PATH|) file checks.
 * @throws BinaryNotFoundError with advice when nothing usable is found.
 */
export function findBinary(options: FindBinaryOptions = {}): FoundBinary {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const searched: string[] = [];
  const forced: [string, BinarySource, string] | undefined =
    options.explicit !== undefined && options.explicit !== ''
      ? [options.explicit, 'option', '--binary']
      : env['VELOCITY_TF_BINARY']
        ? [env['VELOCITY_TF_BINARY'], 'env', 'VELOCITY_TF_BINARY']
        : undefined;
  if (forced) {
    const [value, source, from] = forced;
    const path = resolveNamed(value, cwd, env, searched);
    if (path) return { path, source };
    throw new BinaryNotFoundError(
      `${from} names ${JSON.stringify(value)}, which is not an executable file. Point it at your tofu or terraform binary, or unset it to search PATH.`,
      searched,
    );
  }
  const names = options.names ?? ['tofu', 'terraform'];
  for (const name of names) {
    const path = lookup(name, env, searched);
    if (path) return { path, source: 'path' };
  }
  throw new BinaryNotFoundError(
    `neither ${names.map((n) => `\`${n}\``).join(' nor ')} is on PATH. Install OpenTofu (https://opentofu.org/docs/intro/install/) or Terraform, or pass --binary PATH (or set VELOCITY_TF_BINARY).`,
    searched,
  );
}
