// kill -9 of `terraform state push` of a ~9 MB state to `velocity serve`, at varied points (just after it took the
// lock, while it reads and sends, while the server's write transaction is open): the server then serves the old
// document or the pushed one, never a mix; the rows are consistent; the lock the dead client left expires by its
// lease (--lock-lease 2s) and the next push goes through.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { backendBlock } from '../../src/serve/backend-block.js';
import { dropSchema, freshSchema } from '../lock/helpers/pg-test-schema.js';
import { assertFreshBuild } from '../support/built-package.js';
import { tfBinary } from '../support/terraform-env.js';
import { tfOk } from '../support/terraform-run.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { killGroup, startDetached, until } from '../support/velocity-child.js';
import { bigState } from './helpers/big-state.js';
import { serveEnv } from './helpers/serve-fixture.js';
import { spawnServe, type SpawnedServe } from './helpers/spawn-serve.js';
import { stateProblems } from './helpers/state-consistency.js';
import { writeTransactionOpen } from './helpers/write-probes.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Doc { serial: number; lineage: string; resources: unknown[] }

/** When terraform is killed: `ms` after its lock row appears, or as soon as the server's write transaction is open. */
type KillPoint = { readonly lockedMs: number } | { readonly writing: true };

describe.runIf(tfBinary !== undefined)('terraform state push killed (SIGKILL) mid-write to velocity serve (skipped only when no tofu/terraform binary)', () => {
  const url = inject('pgUrl');
  const schema = freshSchema('killp');
  let s: SpawnedServe;
  let watch: pg.Client;
  let ws: TempWorkspace;
  let dir: string;
  beforeAll(async () => {
    assertFreshBuild();
    s = await spawnServe(url, schema, ['--lock-lease', '2s']);
    watch = new pg.Client({ connectionString: url });
    await watch.connect();
    ws = tempWorkspace();
    dir = ws.dir;
  });
  afterAll(async () => {
    await s?.stop();
    await watch?.end();
    await dropSchema(url, schema);
    ws?.cleanup();
  });

  const get = async (guid: string): Promise<Doc> => JSON.parse(await (await fetch(`${s.url}/tfstate/${guid}`)).text()) as Doc;
  const q = async (text: string, values: unknown[]): Promise<boolean> => (await watch.query(text, values)).rows.length > 0;
  const locked = (guid: string): Promise<boolean> => q(`SELECT 1 FROM ${schema}.resource_locks WHERE namespace = $1 AND path = '' AND expires_at > now()`, [guid]);
  const writing = (guid: string): Promise<boolean> => writeTransactionOpen(watch, schema, guid);

  it('leaves the old or the pushed document, and the dead client’s lock expires', async () => {
    const guid = uuidv7();
    expect((await fetch(`${s.url}/api/v1/states`, { method: 'POST', body: JSON.stringify({ guid, logic_id: 'killp' }) })).status).toBe(201);
    writeFileSync(join(dir, 'backend.tf'), backendBlock(s.url, guid));
    const env = serveEnv();
    await tfOk(dir, ['init', '-input=false', '-no-color'], env);
    writeFileSync(join(dir, 'first.tfstate'), JSON.stringify(bigState(3000, 3000, 1, randomUUID(), 'a')));
    await tfOk(dir, ['state', 'push', 'first.tfstate'], env);
    let current = await get(guid);
    const fills = ['a', 'b'];
    const resourcesOf = (fill: string): unknown[] => bigState(3000, 3000, 0, '', fill)['resources'] as unknown[];
    expect(current.resources).toEqual(resourcesOf('a'));
    let fill = 0;
    const points: KillPoint[] = [...[0, 100, 200, 300, 350, 400, 450, 500, 600].map((lockedMs) => ({ lockedMs })), { writing: true }, { writing: true }];
    const outcomes: string[] = [];
    for (const point of points) {
      const next = 1 - fill;
      writeFileSync(join(dir, 'next.tfstate'), JSON.stringify(bigState(3000, 3000, current.serial + 1, current.lineage, fills[next])));
      const push = startDetached(tfBinary as string, ['state', 'push', 'next.tfstate'], { cwd: dir, env });
      let ended = false;
      void push.done.then(() => (ended = true));
      if ('lockedMs' in point) {
        await until(async () => ended || (await locked(guid)), () => `terraform's lock:\n${push.output()}`, 30_000);
        await sleep(point.lockedMs);
      } else {
        // NOTE: a tight poll (one query a round trip): the server's transaction lasts a few hundred ms.
        const end = Date.now() + 30_000;
        while (!ended && !(await writing(guid)) && Date.now() < end);
      }
      const inTransaction = await writing(guid);
      killGroup(push.pid);
      const exit = await push.done;
      // The dead client's lock, if it left one, lives out its 2 s lease; the server's write, if it had the whole
      // body, commits or rolls back on its own.
      await until(async () => !(await locked(guid)) && !(await writing(guid)), () => 'the dead client’s lock to expire', 30_000);
      const now = await get(guid);
      const isNew = isDeepStrictEqual(now.resources, resourcesOf(fills[next] as string));
      expect(isNew || isDeepStrictEqual(now.resources, resourcesOf(fills[fill] as string)), `after a kill at ${JSON.stringify(point)}: neither document`).toBe(true);
      expect(now.lineage).toBe(current.lineage);
      // Terraform bumps the serial of what it pushes once more (the file's serial + 1).
      expect(now.serial).toBe(isNew ? current.serial + 2 : current.serial);
      if (exit.code === 0) expect(isNew).toBe(true);
      expect(await stateProblems(url, schema, guid)).toEqual([]);
      outcomes.push(`${JSON.stringify(point)}: ${exit.signal ?? `exit ${exit.code}`}${inTransaction ? ' in the transaction' : ''}, ${isNew ? 'new' : 'old'}`);
      current = now;
      if (isNew) fill = next;
    }
    console.log(`terraform state push killed: ${outcomes.join('; ')}`);
    console.log(`server log: ${s.stderr()}`);
    // After the lease, an ordinary push goes through.
    writeFileSync(join(dir, 'next.tfstate'), JSON.stringify(bigState(3000, 3000, current.serial + 1, current.lineage, fills[1 - fill])));
    await tfOk(dir, ['state', 'push', 'next.tfstate'], env);
    expect((await get(guid)).resources).toEqual(resourcesOf(fills[1 - fill] as string));
    expect(await stateProblems(url, schema, guid)).toEqual([]);
  }, 300_000);
});
