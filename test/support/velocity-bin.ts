// Test support: the built `velocity` executable (bin/velocity.js over dist/) for tests that need the real process:
// signals, pipes, exit status. Refuses a dist/ older than src/ (run `npm run build`), so no test passes on stale code.

import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from './paths.js';

export const velocityBin = resolve(repoRoot, 'bin/velocity.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Throws when dist/ was built before the last change under src/. O(files under src/). */
export function assertFreshBuild(): void {
  let built = 0;
  try {
    built = statSync(resolve(repoRoot, 'dist/cli/main.js')).mtimeMs;
  } catch {
    built = 0;
  }
  if (built < newestMtime(resolve(repoRoot, 'src'))) throw new Error('dist/ is older than src/: run `npm run build` before this test');
}
