// kill -9 of `velocity apply` on a `velocity serve` backend while the binary applies in the sub-workspace (the sim
// holds one resource's apply): the served state is byte-identical to the old one, the resource locks velocity took
// on the server expire by their lease (3 s) once it stops renewing them, the sub-workspace is kept, and
// `velocity merge DIR` then writes what the binary applied as one new version.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { assertFreshBuild } from '../support/built-package.js';
import { alive } from '../support/process-alive.js';
import { terraformAvailable } from '../support/sim/index.js';
import { tfRun } from '../support/terraform-run.js';
import { childrenOf, killGroup, startVelocity, until } from '../support/velocity-child.js';
import { SERVE_SIM_BLOCKS, serveSimWorkspace, simValues, type ServeSimWorkspace, type SimStateDoc as Doc } from '../serve/helpers/serve-sim-workspace.js';
import { stateProblems } from '../serve/helpers/state-consistency.js';

describe.skipIf(!terraformAvailable())('velocity apply on velocity serve, killed (SIGKILL) while the binary applies (needs terraform)', () => {
  let ws: ServeSimWorkspace;
  beforeAll(async () => {
    assertFreshBuild();
    ws = await serveSimWorkspace(inject('pgUrl'), SERVE_SIM_BLOCKS, { resourceLeaseMs: 3000 });
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('keeps the old state, lets its locks expire, and merges later', async () => {
    const oldText = await ws.current();
    const old = JSON.parse(oldText) as Doc;
    const versions = (await ws.fx.store.history(ws.guid)).length;
    await ws.sim.holdApplies(['x/q'], 60_000);
    const v = startVelocity(['apply', '--mode', 'inject', '-auto-approve', '-no-color', '-var=v=b'], { cwd: ws.dir, env: ws.env });
    let sub = '';
    await until(async () => {
      sub = /applying in the sub-workspace (\S+) /.exec(v.output())?.[1] ?? '';
      return sub !== '' && (await ws.sim.heldApplies()) === 1 && /x\["p"\]: Modifications complete/.test(v.output());
    }, () => `x["q"] held mid-apply:\n${v.output()}`, 60_000);
    const locked = await ws.locks();
    const orphan = childrenOf(v.pid).filter((c) => c.comm === 'terraform')[0];
    process.kill(v.pid, 'SIGKILL');
    expect((await v.done).signal).toBe('SIGKILL');

    // Velocity held resource locks on the server (not the whole state); nothing was written.
    expect(locked.length, JSON.stringify(locked)).toBeGreaterThan(0);
    expect(locked.flatMap((l) => l.resources)).not.toContain('*');
    expect(await ws.current()).toBe(oldText);
    expect((await ws.fx.store.history(ws.guid)).length).toBe(versions);
    // Nobody renews them now: they expire by lease.
    await until(async () => (await ws.locks()).length === 0, () => 'the dead apply’s resource locks to expire', 30_000);

    await ws.sim.releaseApplies();
    if (orphan !== undefined) {
      const exited = await until(() => !alive(orphan.pid), () => `terraform ${orphan.pid} to exit`, 20_000).then(() => true, () => false);
      if (!exited) killGroup(orphan.pgid);
    }
    expect(existsSync(join(sub, 'velocity-sub.json'))).toBe(true);
    const m = await startVelocity(['merge', sub], { cwd: ws.dir, env: ws.env }).done;
    expect(m.code, m.stdout + m.stderr).toBe(0);
    expect(existsSync(sub)).toBe(false);
    const after = JSON.parse(await ws.current()) as Doc;
    expect(after.lineage).toBe(old.lineage);
    // `velocity merge` writes the merge whole (a push: serial + 2) or as a subgraph write (+ 1).
    expect([old.serial + 1, old.serial + 2]).toContain(after.serial);
    expect(simValues(after)).toMatchObject({ base: 'base', other: 'other', 'x[p]': 'b', 'x[r]': 'a' });
    expect(['a', 'b']).toContain(simValues(after)['x[q]']);
    expect((await ws.fx.store.history(ws.guid)).length).toBe(versions + 1);
    expect(await stateProblems(ws.fx.pgUrl, ws.fx.schema, ws.guid)).toEqual([]);
    // The state is free again for a plain client.
    const plan = await tfRun(ws.dir, ['plan', '-lock-timeout=0s', '-refresh=false', '-input=false', '-no-color', '-var=v=b'], ws.tfenv);
    expect(plan.code, plan.stderr).toBe(0);
  }, 120_000);
});
