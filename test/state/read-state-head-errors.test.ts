// readStateHead on what is not a v4 state head: a typed error with a stable code, never a wrong answer.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStateHead } from '../../src/state/read-state-head.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'velocity-head-errors-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('readStateHead errors', () => {
  it.each([
    ['empty', '', 'STATE_EMPTY'],
    ['blank', '  \n', 'STATE_EMPTY'],
    ['not an object', '[1]', 'STATE_NOT_JSON'],
    ['without a lineage', '{"version": 4, "terraform_version": "1.11.4", "serial": 1, "outputs": {}, "resources": []}', 'STATE_NOT_A_STATE'],
    ['with a string serial', '{"version": 4, "terraform_version": "1.11.4", "serial": "1", "lineage": "x"}', 'STATE_NOT_A_STATE'],
    ['cut short', '{"version": 4, "terraform_version": "1.11.4", "ser', 'STATE_TRUNCATED'],
    ['a v3 state', '{"version": 3, "terraform_version": "0.11.14", "serial": 1, "lineage": "x", "modules": []}', 'STATE_VERSION_TOO_OLD'],
    ['a future state', '{"version": 5, "terraform_version": "9.0.0", "serial": 1, "lineage": "x"}', 'STATE_VERSION_FUTURE'],
  ])('refuses a state that is %s', (_what, text, code) => {
    const path = join(dir, 's.tfstate');
    writeFileSync(path, text);
    expect(() => readStateHead({ path })).toThrow(expect.objectContaining({ code }));
  });

  it('refuses a head field found only past the first 64 KiB', () => {
    const path = join(dir, 'big.tfstate');
    writeFileSync(path, `{"version": 4, "terraform_version": "1.11.4", "serial": 1, "pad": "${'x'.repeat(70_000)}", "lineage": "late"}`);
    expect(() => readStateHead({ path })).toThrow(expect.objectContaining({ code: 'STATE_NOT_A_STATE' }));
  });

  it('reports a missing file as SOURCE_UNREADABLE', () => {
    expect(() => readStateHead({ path: join(dir, 'none.tfstate') })).toThrow(expect.objectContaining({ code: 'SOURCE_UNREADABLE' }));
  });
});
