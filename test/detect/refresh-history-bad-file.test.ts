// An unreadable refresh history is a typed error (REFRESH_HISTORY_INVALID) for readers and writers alike, never a
// silent reset; an unwritable location is REFRESH_HISTORY_UNWRITABLE; a file of another version reads as empty.
import { describe, expect, it } from 'vitest';
import { readRefreshHistory, recordRefreshes } from '../../src/detect/refresh-history.js';
import { tempWorkspace } from '../support/temp-workspace.js';

const code = async (p: Promise<unknown>): Promise<string | undefined> => p.then(() => undefined, (e: { code?: string }) => e.code);

describe('refresh history: bad files', () => {
  it('refuses a file that is not a refresh history, to read and to record', async () => {
    const ws = tempWorkspace({
      'not-json.json': '{"format":"velocity-refresh-history",',
      'other.json': '{"format":"velocity-ledger","version":3,"entries":{}}',
      'bad-runs.json': '{"format":"velocity-refresh-history","version":1,"lineages":{"l":{"runs":[{"serial":"1","at":"x","addresses":[]}]}}}',
      'unsorted.json': '{"format":"velocity-refresh-history","version":1,"lineages":{"l":{"runs":[{"serial":1,"at":"x","front":["0:b.x","0:a.x"]}]}}}',
      'bad-prefix.json': '{"format":"velocity-refresh-history","version":1,"lineages":{"l":{"runs":[{"serial":1,"at":"x","front":["9:a.x"]}]}}}',
      'dir.json/x': '',
    });
    try {
      for (const f of ['not-json.json', 'other.json', 'bad-runs.json', 'unsorted.json', 'bad-prefix.json', 'dir.json']) {
        const path = `${ws.dir}/${f}`;
        expect(await code(readRefreshHistory(path, 'l'))).toBe('REFRESH_HISTORY_INVALID');
        expect(await code(recordRefreshes({ path, lineage: 'l', serial: 1, addresses: ['a.x'] }))).toBe('REFRESH_HISTORY_INVALID');
      }
    } finally {
      ws.cleanup();
    }
  });

  it('reports an unwritable location and reads another version as empty', async () => {
    const ws = tempWorkspace({ 'file': 'x', 'old.json': '{"format":"velocity-refresh-history","version":0,"lineages":{"l":{}}}' });
    try {
      expect(await code(recordRefreshes({ path: `${ws.dir}/file/history.json`, lineage: 'l', serial: 1, addresses: ['a.x'] }))).toBe('REFRESH_HISTORY_UNWRITABLE');
      expect(await readRefreshHistory(`${ws.dir}/old.json`, 'l')).toBeUndefined();
    } finally {
      ws.cleanup();
    }
  });
});
