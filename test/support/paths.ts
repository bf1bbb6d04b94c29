// Paths tests share: the repo root, the shared real fixtures (read in place, never copied), the bundled demo.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const realStatesDir = resolve(repoRoot, '../shared/fixtures/real-states');
export const realPlansDir = resolve(repoRoot, '../shared/fixtures/real-plans');
export const demoDir = resolve(repoRoot, 'fixtures/demo');
