// `.velocity/` holds caches, sub-workspaces, the ledger and the refresh history: this marks it ignored for git.
// Guarantees: never overwrites a .gitignore the user wrote there, never fails (a read-only directory is reported by
// whatever writes there next).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Creates `dir` and a `.gitignore` with `*` in it unless one exists. O(1). */
export function ignoreVelocityDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.gitignore'), '# velocity: caches and sub-workspaces (generated)\n*\n', { flag: 'wx' });
  } catch {
    // exists already, or the directory is not writable
  }
}
