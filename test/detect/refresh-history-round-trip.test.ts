// The refresh history file: what recordRefreshes writes, readRefreshHistory reads back per lineage; an address
// lives only in the run that last refreshed it; other lineages are kept; the write is atomic (no temp file left).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultRefreshHistoryPath, readRefreshHistory, recordRefreshes } from '../../src/detect/refresh-history.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

describe('refresh history: round trip', () => {
  let ws: TempWorkspace | undefined;
  afterEach(() => ws?.cleanup());

  it('reads back the last refresh of each address, per lineage', async () => {
    ws = tempWorkspace();
    const path = defaultRefreshHistoryPath(ws.dir);
    expect(await readRefreshHistory(path, 'lin-a')).toBeUndefined();
    await recordRefreshes({ path, lineage: 'lin-a', serial: 3, addresses: ['b.x', 'a.x', 'c.x'], at: '2026-12-01T10:00:00.000Z' });
    await recordRefreshes({ path, lineage: 'lin-b', serial: 9, addresses: ['z.x'], at: '2026-12-01T10:30:00.000Z' });
    await recordRefreshes({ path, lineage: 'lin-a', serial: 4, addresses: ['c.x', 'a.x', 'a.x'], at: new Date('2026-12-01T11:00:00.000Z') });
    await recordRefreshes({ path, lineage: 'lin-a', serial: 5, addresses: [] }); // nothing refreshed: nothing recorded

    expect(await readRefreshHistory(path, 'lin-a')).toEqual({
      runs: [
        { serial: 3, at: '2026-12-01T10:00:00.000Z', addresses: ['b.x'] },
        { serial: 4, at: '2026-12-01T11:00:00.000Z', addresses: ['a.x', 'c.x'] },
      ],
    });
    expect(await readRefreshHistory(path, 'lin-b')).toEqual({ runs: [{ serial: 9, at: '2026-12-01T10:30:00.000Z', addresses: ['z.x'] }] });
    expect(await readRefreshHistory(path, 'lin-c')).toBeUndefined();
    // Each address once in the file (4 entries for 4 addresses), on one line; no temp file left beside it.
    const text = readFileSync(path, 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(1);
    const doc = JSON.parse(text) as { lineages: Record<string, { runs: { front: string[] }[] }> };
    expect(Object.values(doc.lineages).flatMap((l) => l.runs.flatMap((r) => r.front))).toHaveLength(4);
    expect(readdirSync(join(ws.dir, '.velocity'))).toEqual(['refresh-history.json']);
  });
});
