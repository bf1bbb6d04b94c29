// readStateHead reads version, terraform_version, serial and lineage from the top level of a state's first 64 KiB,
// from a path or an open descriptor (left open), skipping earlier members whatever they hold.
import { closeSync, fstatSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStateHead } from '../../src/state/read-state-head.js';
import { entry, stateDoc, terraformText } from '../support/merge-states.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'velocity-head-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('readStateHead fields', () => {
  it('reads the head of a Terraform state from a path and from a descriptor it does not close', () => {
    const path = join(dir, 'terraform.tfstate');
    writeFileSync(path, terraformText(stateDoc([entry('a', ['a1'])], {}, { serial: 17, lineage: 'lin-1' })));
    const expected = { version: 4, terraformVersion: '1.11.4', serial: 17, lineage: 'lin-1' };
    expect(readStateHead({ path })).toEqual(expected);
    const fd = openSync(path, 'r');
    try {
      expect(readStateHead({ fd })).toEqual(expected);
      expect(fstatSync(fd).size).toBeGreaterThan(0);
    } finally {
      closeSync(fd);
    }
  });

  it('takes only top-level members, after earlier members holding look-alike keys', () => {
    const path = join(dir, 's.tfstate');
    writeFileSync(path, '{"outputs": {"serial": {"value": 99, "lineage": "fake"}}, "x": ["\\"lineage\\": \\"no\\"", [1, {"a": 2}]],\r\n\t"version":4,"terraform_version":"1.9.0","serial":3,"lineage":"real","resources":[]}');
    expect(readStateHead({ path })).toEqual({ version: 4, terraformVersion: '1.9.0', serial: 3, lineage: 'real' });
  });
});
