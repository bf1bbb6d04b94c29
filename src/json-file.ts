// Small files velocity keeps beside a workspace (ledger, refresh history, saved-plan records, sub-workspace
// manifests): read when present, written atomically. Guarantees: a reader sees the old file or the new one, never a
// torn one (temp file + rename in the same directory); a failed write leaves no temp file behind.

import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The file's text, or undefined when it (or a parent directory) does not exist. O(file).
 * NOTE: ENOTDIR (a parent is a file) means there is no such file either; writing it then fails, typed by the caller.
 * @throws the fs error for anything else (no permission, a directory at `path`)
 */
export async function readTextIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * Writes `value` as JSON (one line, or indented with `pretty`) and a newline: parent directories created, then a
 * unique temp file renamed over `path`. O(value). @throws the fs error (the caller types it)
 */
export async function writeJsonAtomic(path: string, value: unknown, options: { readonly pretty?: boolean } = {}): Promise<void> {
  // NOTE: pid + random suffix: two processes (or two calls in one) never write the same temp file.
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, `${JSON.stringify(value, null, options.pretty === true ? 2 : undefined)}\n`);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
}
