// The shared test server is reachable on 127.0.0.1, and starting on a data directory another process already
// serves attaches to that server instead of starting a second one.
import { describe, it, expect, inject } from 'vitest';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/lock/start-embedded-postgres.js';

describe('startEmbeddedPostgres', () => {
  it('serves SQL on 127.0.0.1, and a second start on the same data directory attaches', async () => {
    const url = inject('pgUrl');
    expect(new URL(url).hostname).toBe('127.0.0.1');
    const again = await startEmbeddedPostgres({ dataDir: inject('pgDataDir') });
    expect(again.owned).toBe(false);
    expect(again.port).toBe(Number(new URL(url).port));
    const c = new pg.Client({ connectionString: again.url });
    await c.connect();
    const r = await c.query<{ v: number }>('SELECT 41 + 1 AS v');
    await c.end();
    await again.stop();
    expect(r.rows[0]?.v).toBe(42);
  });
});
