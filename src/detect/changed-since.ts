// `--changed-since REF`: the configuration as it was at a git ref, read as an overlay on the working tree:
// files git reports as changed since REF (modified, added, deleted, untracked) come from `git show REF:path`
// or are hidden; every other file is read from disk, where it is byte-identical to REF by git's own account.
// Files git does not track (untracked or ignored) have no content at REF: their configuration files are hidden,
// their variable files reported as unknown; a working directory renamed since REF is followed to its old place.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GitRefError } from './detect-errors.js';
import { resolve } from 'node:path';
import { decodeUtf8, diskReader, joinRelative, type ConfigReader } from '../config/config-reader.js';

const run = promisify(execFile);

async function gitBytes(cwd: string, ref: string, args: string[]): Promise<Buffer> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, timeout: 60_000, encoding: 'buffer' });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: Buffer | string; code?: string | number; signal?: string };
    const said = (e.stderr ?? '').toString().trim().split('\n').map((l) => l.trim()).filter((l) => l !== '').join('; ');
    const how = typeof e.code === 'number' ? `exit ${e.code}` : e.signal ?? String(e.code ?? (error instanceof Error ? error.message : error));
    throw new GitRefError(ref, `\`git ${args.join(' ')}\` failed (${how})${said === '' ? '' : `: ${said}`}`, said);
  }
}

async function git(cwd: string, ref: string, args: string[]): Promise<string> {
  return (await gitBytes(cwd, ref, args)).toString('utf8');
}

const VAR_FILE = /\.tfvars(\.json)?$/;
const CONFIG_FILE = /\.(tf|tf\.json|tofu|tofu\.json)$/;

export interface GitSnapshot {
  /** The configuration as of `ref` (relative paths as for diskReader). */
  readonly reader: ConfigReader;
  /** Files changed since `ref`, relative to the working directory, sorted. */
  readonly changedFiles: readonly string[];
  /** Absolute directory the working directory was at `ref` (its old place when git saw it renamed), or undefined
   * when no configuration file of it existed at `ref`. */
  readonly workingDirAtRef: string | undefined;
  /** Whether a variable file (path relative to the working directory) has no known content at `ref`: not tracked
   * by git (untracked or ignored) or outside the repository. */
  unknownAtRef(path: string): boolean;
}

/**
 * Reader for the tree at `ref` plus the list of files changed since. Runs `git` 6 times (7 when the working
 * directory is absent at `ref`) plus once per changed file read.
 * @throws GitRefError when not in a repository or `ref` is unknown (with what git said)
 */
export async function readAtGitRef(workingDir: string, ref: string): Promise<GitSnapshot> {
  const prefixNow = (await git(workingDir, ref, ['rev-parse', '--show-prefix'])).trim();
  const top = (await git(workingDir, ref, ['rev-parse', '--show-toplevel'])).trim();
  await git(workingDir, ref, ['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`]);
  const diff = await git(top, ref, ['diff', '--name-status', '--no-renames', '-z', ref, '--']);
  const untracked = await git(top, ref, ['ls-files', '--others', '--exclude-standard', '-z']);
  // NOTE: ignored files only of the kinds Terraform reads as configuration: an ignored node_modules or build
  // tree must not be listed file by file.
  const ignored = await git(top, ref, ['ls-files', '--others', '--ignored', '--exclude-standard', '-z', '--', ...['tf', 'tf.json', 'tofu', 'tofu.json', 'tfvars', 'tfvars.json'].map((e) => `*.${e}`)]);
  const status = new Map<string, string>(); // repo path → A (absent at ref) | D | M (present at ref, read from git)
  const parts = diff.split('\0');
  for (let i = 0; i + 1 < parts.length; i += 2) status.set(parts[i + 1] as string, (parts[i] as string)[0] as string);
  const notTracked = new Set<string>();
  for (const p of untracked.split('\0')) if (p !== '') notTracked.add(p);
  for (const p of ignored.split('\0')) if (p !== '' && !p.startsWith('.terraform/') && !p.includes('/.terraform/')) notTracked.add(p);
  // Configuration files git does not track did not exist at ref; variable files keep their current text (a
  // -var-file must stay readable) but their values are reported unknown.
  for (const p of notTracked) if (!VAR_FILE.test(p) || CONFIG_FILE.test(p)) status.set(p, 'A');

  const dirOf = (p: string): string => (p.lastIndexOf('/') < 0 ? '' : p.slice(0, p.lastIndexOf('/')));
  const hasConfigAt = async (prefix: string): Promise<boolean> => {
    const listed = await git(top, ref, ['ls-tree', '--name-only', '-z', ref, '--', prefix === '' ? '.' : `${prefix.replace(/\/$/, '')}/`]);
    return listed.split('\0').some((p) => p !== '' && dirOf(p) === prefix.replace(/\/$/, '') && CONFIG_FILE.test(p));
  };
  let prefix: string | undefined = prefixNow;
  if (!(await hasConfigAt(prefixNow))) {
    // Renamed since ref (`git mv old new`): the old directory, if git sees this one's files come from one place.
    const renames = (await git(top, ref, ['diff', '--name-status', '-M', '-z', ref, '--'])).split('\0');
    const from = new Set<string>();
    for (let i = 0; i < renames.length; i++) {
      const st = renames[i] as string;
      if (!st.startsWith('R') || i + 2 >= renames.length) continue;
      const [oldPath, newPath] = [renames[i + 1] as string, renames[i + 2] as string];
      i += 2;
      if (dirOf(newPath) === prefixNow.replace(/\/$/, '') && CONFIG_FILE.test(newPath)) from.add(dirOf(oldPath));
    }
    const only = from.size === 1 ? [...from][0] : undefined;
    prefix = only !== undefined && (await hasConfigAt(only === '' ? '' : `${only}/`)) ? (only === '' ? '' : `${only}/`) : undefined;
  }
  const base = prefix ?? prefixNow;
  const up = prefixNow.split('/').filter((x) => x !== '').map(() => '..');
  // NOTE: from the working directory as given, not from git's toplevel (a resolved path): path.cwd is compared.
  const baseDir = base === prefixNow ? workingDir : resolve(workingDir, ...up, base);

  const toRepo = (p: string): string | undefined => {
    const r = joinRelative(base, p);
    return r.startsWith('..') || p.startsWith('/') ? undefined : r;
  };
  const fromRepo = (r: string): string => joinRelative(...up, r);
  const disk = diskReader(baseDir);
  const fromGit = async (repoPath: string): Promise<Buffer> => gitBytes(top, ref, ['show', `${ref}:${repoPath}`]);
  const reader: ConfigReader = {
    async listFiles(dir) {
      const onDisk = await disk.listFiles(dir);
      const current = new Set(onDisk ?? []);
      const repoDir = toRepo(dir);
      if (repoDir === undefined) return [...current].sort();
      let touched = false;
      for (const [path, st] of status) {
        if (dirOf(path) !== repoDir) continue;
        touched = true;
        const name = path.slice(path.lastIndexOf('/') + 1);
        if (st === 'A') current.delete(name);
        else current.add(name);
      }
      return current.size === 0 && !touched && onDisk === undefined ? undefined : [...current].sort();
    },
    async readBytes(path) {
      const repoPath = toRepo(path);
      const st = repoPath === undefined ? undefined : status.get(repoPath);
      if (st === undefined) return disk.readBytes(path);
      if (st === 'A') return undefined;
      return fromGit(repoPath as string);
    },
    async readFile(path) {
      const bytes = await this.readBytes(path);
      return bytes === undefined ? undefined : decodeUtf8(path, bytes);
    },
  };
  const changedFiles = [...new Set([...status.keys(), ...notTracked])].map(fromRepo).sort();
  const unknownAtRef = (path: string): boolean => {
    const r = toRepo(path);
    return r === undefined || notTracked.has(r) || notTracked.has(joinRelative(prefixNow, path));
  };
  return { reader, changedFiles, workingDirAtRef: prefix === undefined ? undefined : baseDir, unknownAtRef };
}
