// A consumer's write through velocity serve under an apply lock acknowledges its incoming edges with the producers'
// outputs as they were when the lock was granted: a producer write during the apply leaves the edge dirty; a write
// under a plan lock, or with no lock, acknowledges nothing; a subgraph write under apply resource locks acknowledges.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DepsGraph } from '../../src/deps/deps-graph.js';
import { foreignLockInfo, raw, startServeFixture, type ServeFixture } from '../serve/helpers/serve-fixture.js';
import { pushWhole, sampleState, seededState, takeLock, writeSubgraph, type StateDoc } from '../serve/helpers/subgraph-requests.js';

describe('acknowledging a consumer on its write under an apply lock', () => {
  let fx: ServeFixture;
  beforeAll(async () => {
    fx = await startServeFixture(inject('pgUrl'));
  });
  afterAll(async () => {
    await fx?.close();
  });

  const status = async (): Promise<string> => {
    const g = DepsGraph.fromJson((await raw(fx, 'GET', '/api/v1/deps')).json);
    return g.edges().map((e) => g.edgeStatus(e)).join(',');
  };
  const producerDoc = (lineage: string, serial: number, vpc: string): StateDoc => ({ version: 4, terraform_version: '1.11.4', serial, lineage, outputs: { vpc_id: { value: vpc, type: 'string' } }, resources: [] });
  const lock = async (guid: string, operation: string): Promise<string> => {
    const id = randomUUID();
    const r = await raw(fx, 'LOCK', `/tfstate/${guid}/lock`, JSON.stringify({ ...foreignLockInfo(id), Operation: operation }));
    expect(r.status, r.text).toBe(200);
    return id;
  };
  const unlock = async (guid: string, id: string): Promise<void> => {
    expect((await raw(fx, 'UNLOCK', `/tfstate/${guid}/unlock`, JSON.stringify(foreignLockInfo(id)))).status).toBe(200);
  };

  it('whole writes (as terraform apply makes them)', async () => {
    const pLineage = randomUUID();
    const net = await fx.newState('net');
    const app = await fx.newState('app');
    expect((await raw(fx, 'POST', '/api/v1/deps', JSON.stringify({ producer: 'net', output: 'vpc_id', consumer: 'app' }))).status).toBe(201);
    expect((await pushWhole(fx, net, producerDoc(pLineage, 1, 'vpc-1'))).status).toBe(200);
    expect(await status()).toBe('pending');

    const consumer = sampleState();
    let id = await lock(app, 'OperationTypeApply');
    expect((await pushWhole(fx, app, consumer, id)).status).toBe(200);
    await unlock(app, id);
    expect(await status()).toBe('ok');

    // The producer changes: dirty. The consumer's apply starts; the producer changes again before the consumer's
    // write: the write acknowledges what the producer was at the grant (vpc-2), so the edge stays dirty.
    expect((await pushWhole(fx, net, producerDoc(pLineage, 2, 'vpc-2'))).status).toBe(200);
    expect(await status()).toBe('dirty');
    id = await lock(app, 'OperationTypeApply');
    expect((await pushWhole(fx, net, producerDoc(pLineage, 3, 'vpc-3'))).status).toBe(200);
    expect((await pushWhole(fx, app, { ...consumer, serial: 2 }, id)).status).toBe(200);
    await unlock(app, id);
    expect(await status()).toBe('dirty');

    // A plan's lock, or no lock at all: a write acknowledges nothing.
    id = await lock(app, 'OperationTypePlan');
    expect((await pushWhole(fx, app, { ...consumer, serial: 3 }, id)).status).toBe(200);
    await unlock(app, id);
    expect((await pushWhole(fx, app, { ...consumer, serial: 4 })).status).toBe(200);
    expect(await status()).toBe('dirty');

    // The next apply sees vpc-3 at its grant: ok.
    id = await lock(app, 'OperationTypeApply');
    expect((await pushWhole(fx, app, { ...consumer, serial: 5 }, id)).status).toBe(200);
    await unlock(app, id);
    expect(await status()).toBe('ok');
    expect((await raw(fx, 'GET', '/api/v1/deps/status?state=app')).json).toEqual([{ state: 'app', status: 'clean', incoming: [{ from: 'net', output: 'vpc_id', status: 'ok' }] }]);
  });

  it('subgraph writes under apply resource locks (as velocity apply makes them)', async () => {
    const net = await fx.newState('net2');
    const doc = sampleState();
    const app = await seededState(fx, doc);
    const appName = ((await raw(fx, 'GET', `/api/v1/states/${app}`)).json as { logicId: string }).logicId;
    expect((await raw(fx, 'POST', '/api/v1/deps', JSON.stringify({ producer: 'net2', output: 'vpc_id', consumer: appName }))).status).toBe(201);
    expect((await pushWhole(fx, net, producerDoc(randomUUID(), 1, 'vpc-9'))).status).toBe(200);
    const before = await status();
    const granted = await takeLock(fx, app, ['terraform_data.a']);
    expect(granted.status, granted.text).toBe(200);
    const id = granted.json?.['id'] as string;
    const a = doc.resources[0];
    const w = await writeSubgraph(fx, app, id, { lineage: doc.lineage, base_serial: 1, owned: { resources: [{ mode: 'managed', type: 'terraform_data', name: 'a' }], outputs: [] }, resources: a ? [a] : [] });
    expect(w.status, w.text).toBe(200);
    expect((await raw(fx, 'DELETE', `/tfstate/${app}/locks/${id}`)).status).toBe(200);
    const g = DepsGraph.fromJson((await raw(fx, 'GET', '/api/v1/deps')).json);
    const edge = g.edges().find((e) => e.consumer === appName);
    expect(before.split(',')).toContain('pending');
    expect(edge && g.edgeStatus(edge)).toBe('ok');
  });
});
