// The server's dependency table stays acyclic under concurrent writers: random edge inserts from several connections
// at once never leave a cycle (the trigger holds where the library check raced), each refusal is DEPS_CYCLE; and two
// transactions that each pass the library check but close a cycle together: the second is refused by the trigger.
import fc from 'fast-check';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DepsCycleError } from '../../src/deps/deps-errors.js';
import { PostgresDepsStore } from '../../src/deps/postgres-deps-store.js';
import { migrateServeUp, openServeDatabase, type ServeDatabase } from '../../src/serve/open-serve-database.js';
import { dropSchema, freshSchema } from '../lock/helpers/pg-test-schema.js';

const STATES = ['s0', 's1', 's2', 's3', 's4'];

describe('state_edges under concurrent writers (real PostgreSQL)', () => {
  let db: ServeDatabase;
  let schema: string;
  const pools: pg.Pool[] = [];
  beforeAll(async () => {
    schema = freshSchema('deps');
    db = await openServeDatabase({ databaseUrl: inject('pgUrl'), schema });
    await migrateServeUp(db);
    for (const s of STATES) await db.pool.query(`INSERT INTO ${schema}.states (guid, logic_id) VALUES ($1, $2)`, [uuidv7(), s]);
    for (let i = 0; i < 4; i++) pools.push(new pg.Pool({ connectionString: inject('pgUrl'), max: 1 }));
  });
  afterAll(async () => {
    for (const p of pools) await p.end();
    await db?.pool.end();
    await dropSchema(inject('pgUrl'), schema);
  });

  const acyclic = async (): Promise<boolean> => {
    const edges = (await db.pool.query<{ p: string; c: string }>(`SELECT producer::text AS p, consumer::text AS c FROM ${schema}.state_edges`)).rows;
    const next = new Map<string, string[]>();
    for (const e of edges) next.set(e.p, [...(next.get(e.p) ?? []), e.c]);
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean => (next.get(from) ?? []).some((n) => n === to || (!seen.has(n) && (seen.add(n), reaches(n, to, seen))));
    return edges.every((e) => !reaches(e.c, e.p));
  };

  it('random concurrent inserts from four connections never create a cycle (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.tuple(fc.constantFrom(...STATES), fc.constantFrom(...STATES), fc.constantFrom('a', 'b')), { minLength: 1, maxLength: 6 }), { minLength: 4, maxLength: 4 }), async (plans) => {
        await db.pool.query(`DELETE FROM ${schema}.state_edges`);
        await Promise.all(
          plans.map(async (plan, i) => {
            const store = new PostgresDepsStore(pools[i] as pg.Pool, schema);
            for (const [producer, consumer, output] of plan) {
              try {
                await store.add({ producer, output, consumer, input: `${producer}_${output}_${i}` });
              } catch (error) {
                expect((error as { code?: string }).code).toMatch(/^DEPS_(CYCLE|EDGE_EXISTS)$/);
              }
            }
          }),
        );
        expect(await acyclic()).toBe(true);
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('refuses the second of two racing inserts that close a cycle together, naming it', async () => {
    await db.pool.query(`DELETE FROM ${schema}.state_edges`);
    const a = await (pools[0] as pg.Pool).connect();
    const guid = async (s: string): Promise<string> => (await db.pool.query<{ guid: string }>(`SELECT guid FROM ${schema}.states WHERE logic_id = $1`, [s])).rows[0]?.guid as string;
    try {
      // Both library checks see an empty graph; the first insert is not committed yet when the second starts.
      await a.query('BEGIN');
      await a.query(`INSERT INTO ${schema}.state_edges (producer, output, consumer, input) VALUES ($1, 'x', $2, 'i')`, [await guid('s0'), await guid('s1')]);
      const store = new PostgresDepsStore(pools[1] as pg.Pool, schema);
      const second = store.add({ producer: 's1', output: 'y', consumer: 's0' }).then(() => undefined, (e: unknown) => e);
      await new Promise((r) => setTimeout(r, 300));
      await a.query('COMMIT');
      const error = await second;
      expect(error).toBeInstanceOf(DepsCycleError);
      expect((error as DepsCycleError).cycle).toEqual(['s1', 's0', 's1']);
      expect(await acyclic()).toBe(true);
    } finally {
      a.release();
    }
  });
});
