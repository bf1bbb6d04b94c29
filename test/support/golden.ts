// Golden-file comparison: `UPDATE_GOLDEN=1 npx vitest run test/export` rewrites the files under test/export/golden/
// instead of comparing; review the diff before committing it.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { expect } from 'vitest';

export const GOLDEN_DIR = resolve(import.meta.dirname, '../export/golden');

/** Asserts `actual` equals the golden file `name` byte for byte (or rewrites it under UPDATE_GOLDEN=1). */
export function expectGolden(name: string, actual: string): void {
  const file = resolve(GOLDEN_DIR, name);
  if (process.env['UPDATE_GOLDEN'] === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file ${name} is missing: run UPDATE_GOLDEN=1 npx vitest run test/export`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
