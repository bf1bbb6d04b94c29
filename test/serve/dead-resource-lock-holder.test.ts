// A velocity client killed (SIGKILL) while it holds resource locks on a state of `velocity serve`: while it
// heartbeats its lock lives past the lease; once it is dead, overlapping locks, a plain client's LOCK and a whole
// write are refused with the dead holder until the lease (--resource-lease 3s) ends, a disjoint lock is granted
// meanwhile, and after the lease the others get the state and a late renew of the dead id is 410 LOCK_LOST.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropSchema, freshSchema } from '../lock/helpers/pg-test-schema.js';
import { assertFreshBuild } from '../support/built-package.js';
import { until } from '../support/velocity-child.js';
import { foreignLockInfo } from './helpers/serve-fixture.js';
import { spawnServe, type SpawnedServe } from './helpers/spawn-serve.js';
import { sampleState } from './helpers/subgraph-requests.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A node process that takes the lock of body argv[2] at argv[1]/locks, prints the answer, then renews every 500 ms. */
const HOLDER = `
const [base, body] = process.argv.slice(1);
(async () => {
  const r = await fetch(base + '/locks', { method: 'POST', body });
  const lock = await r.json();
  process.stdout.write(JSON.stringify(lock) + '\\n');
  setInterval(() => fetch(base + '/locks/' + lock.id + '/renew', { method: 'POST', body: JSON.stringify({ resources: lock.resources }) }).catch(() => {}), 500);
})();
`;

describe('a killed holder of resource locks', () => {
  const url = inject('pgUrl');
  const schema = freshSchema('deadrl');
  let s: SpawnedServe;
  beforeAll(async () => {
    assertFreshBuild();
    s = await spawnServe(url, schema, ['--resource-lease', '3s']);
  });
  afterAll(async () => {
    await s?.stop();
    await dropSchema(url, schema);
  });

  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    const r = await fetch(`${s.url}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: r.status, json: (await r.json()) as Record<string, unknown> };
  };

  it('blocks overlaps with the dead holder until the lease ends', async () => {
    const guid = uuidv7();
    expect((await call('POST', '/api/v1/states', { guid, logic_id: 'deadrl' })).status).toBe(201);
    const doc = sampleState();
    expect((await call('POST', `/tfstate/${guid}`, doc)).status).toBe(200);
    const dead = foreignLockInfo(randomUUID(), 'velocity@killed');
    const child = spawn(process.execPath, ['-e', HOLDER, `${s.url}/tfstate/${guid}`, JSON.stringify({ info: dead, resources: ['terraform_data.a', 'terraform_data.m["x"]'] })], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const closed = new Promise((ok) => child.on('close', ok));
    try {
      await until(() => out.includes('\n'), () => 'the holder’s lock', 30_000);
      expect(JSON.parse(out)).toMatchObject({ id: dead.ID, resources: ['terraform_data.a', 'terraform_data.m["x"]'] });
      // Heartbeating, it holds past one lease.
      await sleep(4000);
      expect(((await call('GET', `/tfstate/${guid}/locks`)).json as unknown as { id: string }[]).map((l) => l.id)).toEqual([dead.ID]);
    } finally {
      child.kill('SIGKILL');
      await closed;
    }

    const other = foreignLockInfo(randomUUID(), 'velocity@next');
    const overlap = await call('POST', `/tfstate/${guid}/locks`, { info: other, resources: ['terraform_data.m'] });
    expect([overlap.status, overlap.json['code'], overlap.json['ID'], overlap.json['Who'], overlap.json['overlapping']]).toEqual([423, 'STATE_LOCKED', dead.ID, 'velocity@killed', ['terraform_data.m']]);
    const plain = await call('LOCK', `/tfstate/${guid}/lock`, foreignLockInfo(randomUUID(), 'terraform@laptop'));
    expect([plain.status, plain.json['ID']]).toEqual([423, dead.ID]);
    const whole = await call('POST', `/tfstate/${guid}`, { ...doc, serial: 2 });
    expect([whole.status, whole.json['code'], whole.json['ID']]).toEqual([409, 'STATE_LOCKED', dead.ID]);
    const disjoint = await call('POST', `/tfstate/${guid}/locks`, { info: foreignLockInfo(randomUUID(), 'velocity@elsewhere'), resources: ['terraform_data.b'] });
    expect(disjoint.status).toBe(200);
    expect((await call('DELETE', `/tfstate/${guid}/locks/${disjoint.json['id'] as string}`)).status).toBe(200);

    // Nobody renews the dead id: after the lease it is gone.
    await until(async () => ((await call('GET', `/tfstate/${guid}/locks`)).json as unknown as unknown[]).length === 0, () => 'the dead holder’s lease to end', 30_000);
    const taken = await call('POST', `/tfstate/${guid}/locks`, { info: other, resources: ['terraform_data.m'] });
    expect(taken.status).toBe(200);
    // A late renew by the dead id is 410 naming what was taken over (the rest, not taken, is renewed: README).
    const renew = await call('POST', `/tfstate/${guid}/locks/${dead.ID}/renew`, { resources: ['terraform_data.a', 'terraform_data.m["x"]'] });
    expect([renew.status, renew.json['code'], renew.json['lost']]).toEqual([410, 'LOCK_LOST', ['terraform_data.m["x"]']]);
    expect((await call('DELETE', `/tfstate/${guid}/locks/${dead.ID}`)).status).toBe(200);
    expect((await call('DELETE', `/tfstate/${guid}/locks/${other.ID}`)).status).toBe(200);
    expect((await call('LOCK', `/tfstate/${guid}/lock`, foreignLockInfo(randomUUID(), 'terraform@laptop'))).status).toBe(200);
  }, 120_000);
});
