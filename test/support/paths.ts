// Paths tests share: the repo root, the shared real fixtures (read in place, never copied; elsewhere with
// VELOCITY_SHARED_FIXTURES), the bundled demo.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** ../shared/fixtures next to the repository, or $VELOCITY_SHARED_FIXTURES. May be absent (see fixtures.ts). */
export const sharedFixturesDir = resolve(repoRoot, process.env['VELOCITY_SHARED_FIXTURES'] ?? '../shared/fixtures');
export const realStatesDir = resolve(sharedFixturesDir, 'real-states');
export const realPlansDir = resolve(sharedFixturesDir, 'real-plans');
export const demoDir = resolve(repoRoot, 'fixtures/demo');
