// Test support: a throwaway directory holding the given files (paths relative, parents created), removed by
// the returned cleanup. Every test that writes a workspace uses it, so nothing is left in /tmp.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempWorkspace {
  readonly dir: string;
  write(path: string, text: string): void;
  cleanup(): void;
}

export function tempWorkspace(files: Readonly<Record<string, string>> = {}): TempWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'velocity-detect-'));
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  for (const [p, t] of Object.entries(files)) write(p, t);
  return { dir, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
