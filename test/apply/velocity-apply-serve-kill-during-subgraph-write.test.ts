// kill -9 of `velocity apply` on a `velocity serve` backend while its subgraph write is in flight (a proxy holds the
// POST /tfstate/{guid}/subgraph): dropped, the server keeps the old document and `velocity merge DIR` completes the
// merge; delivered after the kill, the server holds the fully merged document and `velocity merge DIR` finds it
// done. Either way the dead apply's resource locks expire by their lease (3 s).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { assertFreshBuild } from '../support/built-package.js';
import { terraformAvailable } from '../support/sim/index.js';
import { startVelocity, until } from '../support/velocity-child.js';
import { SERVE_SIM_BLOCKS, serveSimWorkspace, simValues, type ServeSimWorkspace, type SimStateDoc as Doc } from '../serve/helpers/serve-sim-workspace.js';
import { stateProblems } from '../serve/helpers/state-consistency.js';

describe.skipIf(!terraformAvailable())('velocity apply on velocity serve, killed (SIGKILL) during its subgraph write (needs terraform)', () => {
  let ws: ServeSimWorkspace;
  let holding = false;
  beforeAll(async () => {
    assertFreshBuild();
    ws = await serveSimWorkspace(inject('pgUrl'), SERVE_SIM_BLOCKS, {
      resourceLeaseMs: 3000,
      // The write itself, not a check_only probe.
      hold: (req, body) => holding && req.method === 'POST' && /\/subgraph(\?|$)/.test(req.url ?? '') && (JSON.parse(body.toString('utf8')) as { check_only?: boolean }).check_only !== true,
    });
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  /** Runs `velocity apply` of x = `v`, holds its subgraph write, SIGKILLs velocity; returns the sub-workspace. */
  async function killDuringWrite(v: string): Promise<string> {
    holding = true;
    const child = startVelocity(['apply', '--mode', 'inject', '-auto-approve', '-no-color', `-var=v=${v}`], { cwd: ws.dir, env: ws.env });
    await until(() => ws.proxy.held.length === 1, () => `the held subgraph write:\n${child.output()}`, 60_000);
    holding = false;
    const sub = /applying in the sub-workspace (\S+) /.exec(child.output())?.[1] ?? '';
    process.kill(child.pid, 'SIGKILL');
    expect((await child.done).signal).toBe('SIGKILL');
    expect(existsSync(join(sub, 'velocity-sub.json'))).toBe(true);
    return sub;
  }
  /** `doc` is `old` with x[p] and x[q] = `v`, at one of `serials` (a subgraph write bumps it once, a push twice). */
  const merged = (doc: Doc, old: Doc, v: string, serials: readonly number[]): boolean =>
    doc.lineage === old.lineage && serials.includes(doc.serial) && JSON.stringify(simValues(doc)) === JSON.stringify({ ...simValues(old), 'x[p]': v, 'x[q]': v });

  it('write dropped: the old document; velocity merge DIR completes it', async () => {
    const oldText = await ws.current();
    const old = JSON.parse(oldText) as Doc;
    const sub = await killDuringWrite('b');
    ws.proxy.held.shift()?.drop();
    expect(await ws.current()).toBe(oldText);
    await until(async () => (await ws.locks()).length === 0, () => 'the dead apply’s resource locks to expire', 30_000);
    const m = await startVelocity(['merge', sub], { cwd: ws.dir, env: ws.env }).done;
    expect(m.code, m.stdout + m.stderr).toBe(0);
    expect(existsSync(sub)).toBe(false);
    expect(merged(JSON.parse(await ws.current()) as Doc, old, 'b', [old.serial + 1, old.serial + 2])).toBe(true);
    expect(await stateProblems(ws.fx.pgUrl, ws.fx.schema, ws.guid)).toEqual([]);
  }, 120_000);

  it('write delivered after the kill: the merged document; velocity merge DIR finds it done', async () => {
    const old = JSON.parse(await ws.current()) as Doc;
    const sub = await killDuringWrite('c');
    // The lock is still live (within its lease), so the server takes the write of the dead client.
    expect(await ws.proxy.held.shift()?.forward()).toBe(200);
    const now = await ws.current();
    expect(merged(JSON.parse(now) as Doc, old, 'c', [old.serial + 1])).toBe(true);
    await until(async () => (await ws.locks()).length === 0, () => 'the dead apply’s resource locks to expire', 30_000);
    const m = await startVelocity(['merge', sub], { cwd: ws.dir, env: ws.env }).done;
    expect(m.code, m.stdout + m.stderr).toBe(0);
    expect(await ws.current()).toBe(now);
    expect(existsSync(sub)).toBe(false);
    expect(await stateProblems(ws.fx.pgUrl, ws.fx.schema, ws.guid)).toEqual([]);
  }, 120_000);
});
