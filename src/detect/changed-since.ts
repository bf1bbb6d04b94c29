// `--changed-since REF`: the configuration as it was at a git ref, read as an overlay on the working tree:
// files git reports as changed since REF (modified, added, deleted, untracked) come from `git show REF:path`
// or are hidden; every other file is read from disk, where it is byte-identical to REF by git's own account.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GitRefError } from './detect-errors.js';
import { diskReader, joinRelative, type ConfigReader } from '../config/config-reader.js';

const run = promisify(execFile);

async function git(cwd: string, ref: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, timeout: 60_000, encoding: 'utf8' });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; code?: string | number };
    throw new GitRefError(ref, (e.stderr ?? '').trim().split('\n')[0] || String(e.code ?? error));
  }
}

export interface GitSnapshot {
  /** The configuration as of `ref` (relative paths as for diskReader). */
  readonly reader: ConfigReader;
  /** Files changed since `ref`, relative to the working directory, sorted. */
  readonly changedFiles: readonly string[];
}

/**
 * Reader for the tree at `ref` plus the list of files changed since. Runs `git` 3 times plus once per
 * changed file read. @throws GitRefError when not in a repository or `ref` is unknown
 */
export async function readAtGitRef(workingDir: string, ref: string): Promise<GitSnapshot> {
  const prefix = (await git(workingDir, ref, ['rev-parse', '--show-prefix'])).trim();
  const top = (await git(workingDir, ref, ['rev-parse', '--show-toplevel'])).trim();
  await git(workingDir, ref, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  const diff = await git(top, ref, ['diff', '--name-status', '--no-renames', '-z', ref, '--']);
  const untracked = await git(top, ref, ['ls-files', '--others', '--exclude-standard', '-z']);
  const status = new Map<string, string>(); // repo path → A (absent at ref) | D | M (present at ref, read from git)
  const parts = diff.split('\0');
  for (let i = 0; i + 1 < parts.length; i += 2) status.set(parts[i + 1] as string, (parts[i] as string)[0] as string);
  for (const p of untracked.split('\0')) if (p !== '') status.set(p, 'A');

  const toRepo = (p: string): string | undefined => {
    const r = joinRelative(prefix, p);
    return r.startsWith('..') || p.startsWith('/') ? undefined : r;
  };
  const fromRepo = (r: string): string => {
    const up = prefix.split('/').filter((s) => s !== '').map(() => '..');
    return joinRelative(...up, r);
  };
  const disk = diskReader(workingDir);
  const reader: ConfigReader = {
    async listFiles(dir) {
      const current = new Set((await disk.listFiles(dir)) ?? []);
      const repoDir = toRepo(dir);
      if (repoDir === undefined) return [...current].sort();
      let touched = false;
      for (const [path, st] of status) {
        const slash = path.lastIndexOf('/');
        if ((slash < 0 ? '' : path.slice(0, slash)) !== repoDir) continue;
        touched = true;
        const name = path.slice(slash + 1);
        if (st === 'A') current.delete(name);
        else current.add(name);
      }
      return current.size === 0 && !touched && (await disk.listFiles(dir)) === undefined ? undefined : [...current].sort();
    },
    async readFile(path) {
      const repoPath = toRepo(path);
      const st = repoPath === undefined ? undefined : status.get(repoPath);
      if (st === undefined) return disk.readFile(path);
      if (st === 'A') return undefined;
      return git(top, ref, ['show', `${ref}:${repoPath}`]);
    },
  };
  const changedFiles = [...status.keys()].map(fromRepo).sort();
  return { reader, changedFiles };
}
