// kill -9 of `velocity serve` during a large subgraph write (a resource lock on terraform_data.big, its ~9 MB of
// instances replaced), at varied points (mid-body, after it, inside the open transaction): restarted on the same
// schema it serves the old document or the merged one (bytes as served in a control run, serial aside), the rows are
// consistent, and the lock, a row, is still the writer's: its next subgraph write goes through.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropSchema, freshSchema } from '../lock/helpers/pg-test-schema.js';
import { assertFreshBuild } from '../support/built-package.js';
import { bigState } from './helpers/big-state.js';
import { foreignLockInfo } from './helpers/serve-fixture.js';
import { spawnServe, type SpawnedServe } from './helpers/spawn-serve.js';
import { stateProblems } from './helpers/state-consistency.js';
import { sampleState, type Entry } from './helpers/subgraph-requests.js';
import { postToKillPoint, writeTransactionOpen, type KillPoint } from './helpers/write-probes.js';

/** The document text with its serial blanked (a subgraph write bumps it), and the serial. */
function splitSerial(text: string): [string, number] {
  const m = /^(\{"version":\d+,"terraform_version":"(?:[^"\\]|\\.)*","serial":)(\d+)/.exec(text);
  if (!m) throw new Error(`not a served document: ${text.slice(0, 100)}`);
  return [text.replace(m[0], `${m[1]}0`), Number(m[2])];
}

describe('velocity serve killed (SIGKILL) during a subgraph write', () => {
  const url = inject('pgUrl');
  const schema = freshSchema('killsg');
  let s: SpawnedServe;
  let watch: pg.Client;
  beforeAll(async () => {
    assertFreshBuild();
    s = await spawnServe(url, schema, ['--resource-lease', '10m']);
    watch = new pg.Client({ connectionString: url });
    await watch.connect();
  });
  afterAll(async () => {
    await s?.stop();
    await watch?.end();
    await dropSchema(url, schema);
  });

  const call = async (method: string, path: string, body?: string): Promise<{ status: number; text: string }> => {
    const r = await fetch(`${s.url}${path}`, { method, ...(body === undefined ? {} : { body }) });
    return { status: r.status, text: await r.text() };
  };
  const bigEntry = (fill: string): Entry => (bigState(3000, 3000, 0, '', fill)['resources'] as Entry[])[0] as Entry;
  /** A state holding the sample entries and terraform_data.big of fill 'a', locked on big by `lockId`. */
  const seed = async (logicId: string, lineage: ReturnType<typeof randomUUID>, lockId: string): Promise<string> => {
    const guid = uuidv7();
    expect((await call('POST', '/api/v1/states', JSON.stringify({ guid, logic_id: logicId }))).status).toBe(201);
    const doc = sampleState(lineage, 1);
    doc.resources.push(bigEntry('a'));
    expect((await call('POST', `/tfstate/${guid}`, JSON.stringify(doc))).status).toBe(200);
    const lock = await call('POST', `/tfstate/${guid}/locks`, JSON.stringify({ info: foreignLockInfo(lockId, 'velocity@killsg'), resources: ['terraform_data.big'] }));
    expect(lock.status, lock.text).toBe(200);
    return guid;
  };
  const subgraph = (lineage: string, baseSerial: number, fill: string): Buffer =>
    Buffer.from(
      JSON.stringify({
        lineage,
        base_serial: baseSerial,
        terraform_version: '1.11.4',
        owned: { resources: [{ mode: 'managed', type: 'terraform_data', name: 'big' }], outputs: [] },
        resources: [bigEntry(fill)],
        outputs: {},
        read: [],
      }),
    );

  it('serves the old or the merged document, with consistent rows', async () => {
    const lineage = randomUUID();
    const fills = ['a', 'b'];
    // Control run: the served documents with big = a (seeded) and big = b (merged by a subgraph write).
    const controlLock = randomUUID();
    const control = await seed('control', lineage, controlLock);
    const served = [splitSerial((await call('GET', `/tfstate/${control}`)).text)[0]];
    const t0 = Date.now();
    const w = await call('POST', `/tfstate/${control}/subgraph?ID=${controlLock}`, subgraph(lineage, 1, 'b').toString());
    expect(w.status, w.text).toBe(200);
    console.log(`control subgraph write of ${subgraph(lineage, 1, 'b').length} bytes: ${Date.now() - t0} ms`);
    served.push(splitSerial((await call('GET', `/tfstate/${control}`)).text)[0]);
    expect(served[0]).not.toBe(served[1]);

    const lockId = randomUUID();
    const guid = await seed('killed', lineage, lockId);
    let current = 0;
    let serial = 1;
    const points: KillPoint[] = [{ chunks: 1 }, { chunks: 60 }, ...[0, 50, 100, 150, 200, 300, 500].map((bodyMs) => ({ bodyMs })), { inTransaction: true }, { inTransaction: true }, { inTransaction: true }];
    const outcomes: string[] = [];
    let interrupted = 0;
    for (const point of points) {
      const next = 1 - current;
      const { answer } = await postToKillPoint(`${s.url}/tfstate/${guid}/subgraph?ID=${lockId}`, subgraph(lineage, serial, fills[next] as string), point, () => writeTransactionOpen(watch, schema, guid));
      const inTransaction = await writeTransactionOpen(watch, schema, guid);
      expect(await s.stop('SIGKILL')).toBe(-1);
      const status = await answer;
      if (inTransaction && status === 0) interrupted++;
      s = await spawnServe(url, schema, ['--resource-lease', '10m']);
      const [text, nowSerial] = splitSerial((await call('GET', `/tfstate/${guid}`)).text);
      const which = served.indexOf(text);
      expect(which, `after a kill at ${JSON.stringify(point)}: neither the old nor the merged document`).not.toBe(-1);
      expect(nowSerial).toBe(which === next ? serial + 1 : serial);
      if (status === 200) expect(which).toBe(next);
      if ('chunks' in point) expect(which).toBe(current);
      expect(await stateProblems(url, schema, guid)).toEqual([]);
      outcomes.push(`${JSON.stringify(point)}: ${inTransaction ? 'in the transaction, ' : ''}answer ${status}, ${which === next ? 'merged' : 'old'}`);
      current = which;
      serial = nowSerial;
    }
    console.log(`kills during a subgraph write: ${outcomes.join('; ')}`);
    expect(interrupted).toBeGreaterThan(0);
    // The lock is a row: the writer's next subgraph write, on the restarted server, goes through.
    const last = await call('POST', `/tfstate/${guid}/subgraph?ID=${lockId}`, subgraph(lineage, serial, fills[1 - current] as string).toString());
    expect(last.status, last.text).toBe(200);
    expect(splitSerial((await call('GET', `/tfstate/${guid}`)).text)).toEqual([served[1 - current], serial + 1]);
    expect(await stateProblems(url, schema, guid)).toEqual([]);
  }, 300_000);
});
