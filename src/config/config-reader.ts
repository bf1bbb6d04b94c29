// Where configuration text comes from: the working directory on disk, or (for `--changed-since`) the same tree
// as it was at a git ref. Paths are POSIX, relative to the working directory; '' is the working directory.

import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { ConfigParseError } from './config-errors.js';

export interface ConfigReader {
  /** File names (not directories) directly in `dir`; undefined if `dir` does not exist. */
  listFiles(dir: string): Promise<string[] | undefined>;
  /** The file's text; undefined if it does not exist. @throws ConfigParseError when it is not valid UTF-8 */
  readFile(path: string): Promise<string | undefined>;
  /** The file's bytes (what `file()`-like functions digest); undefined if it does not exist. */
  readBytes(path: string): Promise<Buffer | undefined>;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 as Terraform does: invalid bytes are an error naming the file. O(size). @throws ConfigParseError */
export function decodeUtf8(path: string, bytes: Uint8Array): string {
  try {
    // A leading byte-order mark is dropped, as HCL drops it.
    return UTF8.decode(bytes);
  } catch {
    throw new ConfigParseError(path, 'the file is not valid UTF-8 (Terraform reads configuration and variable files as UTF-8)');
  }
}

/** Joins POSIX relative paths, resolving `.` and `..` segments; may return a path starting with `../`. */
export function joinRelative(...parts: string[]): string {
  const out: string[] = [];
  for (const part of parts.join('/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

/** Reads the live working directory. */
export function diskReader(workingDir: string): ConfigReader {
  const abs = (p: string): string => (isAbsolute(p) ? p : join(workingDir, p));
  return {
    async listFiles(dir) {
      try {
        const ents = await readdir(abs(dir), { withFileTypes: true });
        return ents.filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name).sort();
      } catch {
        return undefined;
      }
    },
    async readBytes(path) {
      try {
        return await readFile(abs(path));
      } catch {
        return undefined;
      }
    },
    async readFile(path) {
      const bytes = await this.readBytes(path);
      return bytes === undefined ? undefined : decodeUtf8(path, bytes);
    },
  };
}
