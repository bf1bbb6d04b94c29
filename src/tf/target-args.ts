// Turns a target list into binary arguments: `-target=ADDR` each, or one `-target-file=FILE` when the binary reads it
// (OpenTofu >= 1.10), or `too-long` when the argument list would pass the OS limit (the caller then runs full).
// Guarantees: never returns arguments that exceed `argMaxBytes` together with the rest of the command and environment.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type TargetArgs =
  | { readonly kind: 'args'; readonly args: string[] }
  | { readonly kind: 'file'; readonly args: string[]; readonly file: string }
  | { readonly kind: 'too-long'; readonly bytes: number; readonly limit: number };

export interface TargetArgsOptions {
  /** The binary accepts `-target-file` (see BinaryVersion.supportsTargetFile). */
  supportsTargetFile: boolean;
  /** Directory for the target file (only used when supportsTargetFile). */
  tmpDir: string;
  /** Bytes already used by the rest of the command line and the environment. @default 0 */
  usedBytes?: number;
  /**
   * Limit for argv + environment. NOTE: Linux's ARG_MAX is usually 2 MiB and macOS's 1 MiB; 1 MiB with room for
   * pointer overhead is safe on both. Windows' CreateProcess allows 32,767 characters.
   * @default 1_000_000 (32_000 on Windows)
   */
  argMaxBytes?: number;
}

/** Size an argument or environment entry costs execve: its bytes, a NUL and a pointer. */
export function argCost(s: string): number {
  return Buffer.byteLength(s) + 1 + 8;
}

/** Bytes used by an environment block. O(env). */
export function envCost(env: NodeJS.ProcessEnv): number {
  let n = 0;
  for (const [k, v] of Object.entries(env)) if (v !== undefined) n += argCost(`${k}=${v}`);
  return n;
}

/** Builds target arguments. O(total length of targets). */
export function buildTargetArgs(targets: readonly string[], options: TargetArgsOptions): TargetArgs {
  if (options.supportsTargetFile && targets.length > 1) {
    const file = join(options.tmpDir, 'velocity-targets.txt');
    writeFileSync(file, targets.join('\n') + '\n');
    return { kind: 'file', args: [`-target-file=${file}`], file };
  }
  const args = targets.map((t) => `-target=${t}`);
  const limit = options.argMaxBytes ?? (process.platform === 'win32' ? 32_000 : 1_000_000);
  const bytes = (options.usedBytes ?? 0) + args.reduce((n, a) => n + argCost(a), 0);
  if (bytes > limit) return { kind: 'too-long', bytes, limit };
  return { kind: 'args', args };
}
