// kill -9 of the velocity CLI while its `state push` of the merged state is in flight (the http backend holds the
// POST): the backend then holds either the old document or the complete merged one, never a mix; the sub-workspace
// is kept, and `velocity merge DIR` completes the merge (push dropped) or recognises it as done (push landed).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertFreshBuild, runVelocityBin } from '../support/built-package.js';
import { httpBackendWorkspace, type HttpBackendWorkspace } from '../support/http-backend-workspace.js';
import { alive } from '../support/process-alive.js';
import { tfOk, tfRun } from '../support/terraform-run.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';
import { childrenOf, startVelocity, until } from '../support/velocity-child.js';

interface Doc { serial: number; lineage: string; resources: { name: string; instances: { index_key?: string; attributes: { input: { value: string } } }[] }[] }

describe.runIf(tfBinary)('velocity apply killed (SIGKILL) during state push (skipped only without tofu/terraform)', () => {
  let ws: HttpBackendWorkspace;
  let env: NodeJS.ProcessEnv;
  /** What the backend does with a POST of the state: store it, hold it here (body kept), or refuse it (503). */
  let posts: 'store' | 'hold' | 'refuse' = 'store';
  const held: { res: ServerResponse; body: string }[] = [];
  beforeAll(async () => {
    assertFreshBuild();
    ws = await httpBackendWorkspace(
      [
        'variable "v" {\n  default = "a"\n}',
        'resource "terraform_data" "base" {\n  input = "base"\n}',
        'resource "terraform_data" "x" {\n  for_each = toset(["p", "q", "r"])\n  input    = "${terraform_data.base.output}/${each.key}/${each.key == "q" ? var.v : "a"}"\n}',
        'resource "terraform_data" "other" {\n  input = "other"\n}',
      ],
      {
        route: (req, res, body) => {
          // NOTE: Terraform adds ?ID=<lock id> to the POST of a locked state.
          if (posts === 'store' || req.method !== 'POST' || !(req.url ?? '').startsWith('/state')) return false;
          if (posts === 'hold') held.push({ res, body });
          else {
            res.writeHead(503);
            res.end();
          }
          return true;
        },
      },
    );
    env = tfEnv({ VELOCITY_TF_BINARY: tfBinary as string });
  }, 120_000);
  afterAll(async () => {
    for (const h of held.splice(0)) h.res.destroy();
    await ws?.cleanup();
  });

  const pull = async (): Promise<string> => tfOk(ws.dir, ['state', 'pull']);
  const inputs = (doc: Doc): Record<string, string> =>
    Object.fromEntries(doc.resources.flatMap((r) => r.instances.map((i) => [`${r.name}${i.index_key === undefined ? '' : `[${i.index_key}]`}`, i.attributes.input.value])));
  /** The complete merge of x["q"] = base/q/`v` into `old`: serial + 2 (the push bumps it once more), nothing else changed. */
  const isMerged = (text: string, old: Doc, v: string): boolean => {
    const doc = JSON.parse(text) as Doc;
    const want = { ...inputs(old), 'x[q]': `base/q/${v}` };
    return doc.lineage === old.lineage && doc.serial === old.serial + 2 && JSON.stringify(inputs(doc)) === JSON.stringify(want);
  };

  /** Runs `velocity apply` of x["q"] = `v`, holds its push, SIGKILLs velocity; returns the sub-workspace and the orphan. */
  async function killDuringPush(v: string): Promise<{ sub: string; orphan: { pid: number; pgid: number }; pushed: { res: ServerResponse; body: string } }> {
    posts = 'hold';
    const child = startVelocity(['apply', '--mode', 'inject', '--changed', 'terraform_data.x["q"]', `-var=v=${v}`, '-auto-approve', '-no-color'], { cwd: ws.dir, env });
    await until(() => held.length === 1, () => `the held push:\n${child.output()}`, 60_000);
    const sub = /applying in the sub-workspace (\S+) /.exec(child.output())?.[1] ?? '';
    expect(child.output()).toContain('Apply complete!');
    const binaries = childrenOf(child.pid).filter((c) => c.comm === 'terraform');
    expect(binaries).toHaveLength(1);
    process.kill(child.pid, 'SIGKILL');
    expect((await child.done).signal).toBe('SIGKILL');
    expect(existsSync(join(sub, 'velocity-sub.json'))).toBe(true);
    return { sub, orphan: binaries[0] as { pid: number; pgid: number }, pushed: held.shift() as { res: ServerResponse; body: string } };
  }

  /** Waits (bounded) for the orphaned `state push` to end; kills its process group if it does not. */
  async function reap(orphan: { pid: number; pgid: number }): Promise<boolean> {
    const exited = await until(() => !alive(orphan.pid), () => `terraform ${orphan.pid} to exit`, 20_000).then(() => true, () => false);
    if (!exited) process.kill(-orphan.pgid, 'SIGKILL');
    await until(() => !alive(orphan.pid), () => `terraform ${orphan.pid} to die`, 5_000);
    return exited;
  }

  it('push dropped: the backend keeps the old document; velocity merge DIR completes it', async () => {
    const oldText = await pull();
    const old = JSON.parse(oldText) as Doc;
    const { sub, orphan, pushed } = await killDuringPush('b');
    expect(isMerged(pushed.body, old, 'b')).toBe(true);
    // The backend fails: the held POST's connection drops, and every retry of it (Terraform's http client retries a
    // dropped connection and a 5xx) gets 503, so the push never reaches the backend's storage.
    posts = 'refuse';
    pushed.res.destroy();
    const exitedAlone = await reap(orphan);
    posts = 'store';
    expect(await pull()).toBe(oldText);
    // The orphaned push took the backend's lock; if it died before unlocking (it dies writing its error to the pipe
    // of the dead velocity), the merge's push is refused on that lock, naming it, until the user force-unlocks.
    const lockLeft = ws.server.lock();
    if (lockLeft !== undefined) {
      const refused = await runVelocityBin(['merge', sub], { cwd: ws.dir, env });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('error[STATE_PUSH_FAILED]');
      expect(refused.stderr).toContain(String(lockLeft['ID']));
      expect(await pull()).toBe(oldText);
      await tfOk(ws.dir, ['force-unlock', '-force', String(lockLeft['ID'])]);
    }

    const m = await runVelocityBin(['merge', sub], { cwd: ws.dir, env });
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout).toContain(`Velocity: merged the sub-workspace into the state: serial ${old.serial} -> ${old.serial + 2}`);
    expect(existsSync(sub)).toBe(false);
    expect(isMerged(await pull(), old, 'b')).toBe(true);
    expect(ws.server.lock()).toBeUndefined();
    const full = await tfRun(ws.dir, ['plan', '-detailed-exitcode', '-input=false', '-no-color', '-var=v=b']);
    expect(full.code, full.stdout + full.stderr).toBe(0);
    console.log(`kill during push (dropped): orphan state push exited by itself: ${exitedAlone}; backend lock left behind: ${lockLeft !== undefined}`);
  }, 120_000);

  it('push landed after the kill: the backend holds the merged document; velocity merge DIR sees it is done', async () => {
    const oldText = await pull();
    const old = JSON.parse(oldText) as Doc;
    const { sub, orphan, pushed } = await killDuringPush('c');
    // The backend commits the held POST (stored as sent), then answers the orphaned binary.
    posts = 'store';
    const stored = await fetch(ws.server.url, { method: 'POST', body: pushed.body });
    expect(stored.status).toBe(200);
    pushed.res.writeHead(200);
    pushed.res.end();
    const exitedAlone = await reap(orphan);
    const now = await pull();
    expect(now === oldText || isMerged(now, old, 'c')).toBe(true);
    expect(isMerged(now, old, 'c')).toBe(true);
    const lockLeft = ws.server.lock();
    if (lockLeft !== undefined) await tfOk(ws.dir, ['force-unlock', '-force', String(lockLeft['ID'])]);

    // The merge is already there: `velocity merge DIR` recognises it (serial plan + 2, the owned entries as merged),
    // writes nothing and removes DIR.
    const manifestSerial = (JSON.parse(readFileSync(join(sub, 'velocity-sub.json'), 'utf8')) as { serial: number }).serial;
    expect(manifestSerial).toBe(old.serial);
    const m = await runVelocityBin(['merge', sub], { cwd: ws.dir, env });
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout).toContain(`Velocity: the real state already holds this sub-workspace's merge (serial ${old.serial + 2}): nothing to write`);
    expect(await pull()).toBe(now);
    expect(existsSync(sub)).toBe(false);
    const full = await tfRun(ws.dir, ['plan', '-detailed-exitcode', '-input=false', '-no-color', '-var=v=c']);
    expect(full.code, full.stdout + full.stderr).toBe(0);
    console.log(`kill during push (landed): orphan state push exited by itself: ${exitedAlone}; backend lock left behind: ${lockLeft !== undefined}`);
  }, 120_000);
});
