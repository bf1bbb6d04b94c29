// Test support: the built package (dist/, what `npm run build` and `npm ci` produce) for tests that load the real
// package entry or bin in a child process. The global setup calls ensureBuilt() once per run (tsc when any src file is
// newer than its output); tests call assertFreshBuild(), so none runs stale code and none rebuilds under another.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { repoRoot } from './paths.js';

export const distDir = join(repoRoot, 'dist');
export const distEntry = join(distDir, 'index.js');
export const velocityBin = join(repoRoot, 'bin', 'velocity.js');

function stale(): boolean {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  for (const src of walk(join(repoRoot, 'src'))) {
    const out = join(distDir, relative(join(repoRoot, 'src'), src).replace(/\.ts$/, '.js'));
    if (!existsSync(out) || statSync(out).mtimeMs < statSync(src).mtimeMs) return true;
  }
  return false;
}

/** Throws when dist/ is missing or older than src/. O(src files). */
export function assertFreshBuild(): void {
  if (stale()) throw new Error('dist/ is older than src/: run `npm run build` (the test run\'s global setup does)');
}

/** Builds dist/ with tsc when it is missing or older than src/. O(src files) when fresh. @throws Error on a failed build */
export function ensureBuilt(): void {
  if (!stale()) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed:\n${r.stdout}${r.stderr}`);
}

/** What a run of the built bin printed and how it ended. */
export interface BinRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin/velocity.js ...args` as a child (killed after `timeoutMs`). @default timeoutMs 60 s */
export function runVelocityBin(args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<BinRun> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, [velocityBin, ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      ok({ code, stdout, stderr });
    });
  });
}
