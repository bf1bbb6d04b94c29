import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlanChanges, parsePlanChangesText } from '../../src/tf/parse-plan-json.js';
import { itWithFixtures } from '../support/fixtures.js';
import { realPlansDir as plans } from '../support/paths.js';

describe('parsePlanChanges', () => {
  itWithFixtures('on every real plan fixture: changed = exactly the entries with a non-no-op action, sorted and unique', () => {
    const files = readdirSync(plans).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const doc = JSON.parse(readFileSync(join(plans, f), 'utf8')) as { resource_changes?: { address: string; change: { actions: string[] } }[] };
      const expected = [...new Set((doc.resource_changes ?? []).filter((r) => r.change.actions.some((a) => a !== 'no-op')).map((r) => r.address))].sort();
      const got = parsePlanChanges(doc);
      expect(got.changed, f).toEqual(expected);
      expect(got.total, f).toBe((doc.resource_changes ?? []).length);
      for (const c of got.creates) expect(got.changed).toContain(c);
    }
  });

  it('flags moved, imported and forgotten resources as unscopable, and counts deletes, replaces and reads as changes', () => {
    const doc = {
      format_version: '1.2',
      resource_changes: [
        { address: 'a.keep', change: { actions: ['no-op'] } },
        { address: 'a.new', change: { actions: ['create'] } },
        { address: 'a.gone', change: { actions: ['delete'] }, action_reason: 'delete_because_no_resource_config' },
        { address: 'a.swap', change: { actions: ['delete', 'create'] } },
        { address: 'data.a.r', change: { actions: ['read'] } },
        { address: 'a.dep', deposed: 'abcd', change: { actions: ['delete'] } },
        { address: 'a.moved', previous_address: 'a.old', change: { actions: ['no-op'] } },
        { address: 'a.imp', change: { actions: ['no-op'], importing: { id: 'i-1' } } },
        { address: 'a.forget', change: { actions: ['forget'] } },
      ],
    };
    const got = parsePlanChanges(doc);
    expect(got.changed).toEqual(['a.dep', 'a.forget', 'a.gone', 'a.new', 'a.swap', 'data.a.r']);
    expect(got.creates).toEqual(['a.new']);
    expect(got.unscopable.map((u) => u.address)).toEqual(['a.forget', 'a.imp', 'a.moved']);
  });

  it('throws TF_OUTPUT_UNEXPECTED for text that is not a plan document', () => {
    expect(() => parsePlanChangesText('nope')).toThrow(expect.objectContaining({ code: 'TF_OUTPUT_UNEXPECTED' }));
    expect(() => parsePlanChangesText('{"version":4}')).toThrow(expect.objectContaining({ code: 'TF_OUTPUT_UNEXPECTED' }));
    expect(() => parsePlanChanges({ format_version: '1.0', resource_changes: [{ change: {} }] })).toThrow(expect.objectContaining({ code: 'TF_OUTPUT_UNEXPECTED' }));
  });
});
