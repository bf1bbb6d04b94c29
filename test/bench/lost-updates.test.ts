// bench:serve's lost-update check (bench/lost-updates.ts): device values read from a sim state document, and an
// applied change missing, overwritten or at another device is reported; present ones are not.
import { describe, expect, it } from 'vitest';
import { deviceValues, lostUpdates, type SimStateDocument } from '../../bench/lost-updates.js';

const device = (customer: string, values: Record<string, string>): SimStateDocument['resources'][number] => ({
  module: `module.customer["${customer}"]`,
  name: 'device',
  instances: Object.entries(values).map(([k, value]) => ({ index_key: k, attributes: { value } })),
});

const DOC: SimStateDocument = {
  resources: [
    { name: 'controller', instances: [{ attributes: { value: 'v1' } }] },
    device('c01', { d01: 'edit-1', d02: 'v1' }),
    device('c02', { d01: 'v1' }),
    { module: 'module.customer["c02"]', name: 'site', instances: [{ attributes: { value: 'edit-2' } }] },
  ],
};

describe('lost updates', () => {
  it('reads every device value of the customers module, nothing else', () => {
    expect([...deviceValues(DOC)].sort()).toEqual([
      ['c01/d01', 'edit-1'],
      ['c01/d02', 'v1'],
      ['c02/d01', 'v1'],
    ]);
  });

  it('reports a change that is missing or overwritten, sorted, and not one that is present', () => {
    const expected = new Map([
      ['c02/d01', 'edit-2'],
      ['c01/d01', 'edit-1'],
      ['c03/d01', 'edit-3'],
    ]);
    expect(lostUpdates(expected, deviceValues(DOC))).toEqual(['c02/d01: expected edit-2, served v1', 'c03/d01: expected edit-3, served (none)']);
    expect(lostUpdates(new Map([['c01/d01', 'edit-1']]), deviceValues(DOC))).toEqual([]);
  });
});
