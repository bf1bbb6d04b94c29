// A saved inject-mode plan applied after another velocity apply changed its cone on the velocity server: the
// subgraph checks (before anything is applied) refuse with STATE_MOVED naming both serials and what moved; nothing
// is written, the sub-workspace is kept and named, and no lock of the refused run is left on the server.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ServeClient } from '../../src/serve/serve-client.js';
import { ServeResourceLockManager } from '../../src/serve/serve-resource-lock-manager.js';
import { runVelocityBin } from '../support/built-package.js';
import { applyCustomer, savedPlan, serveCustomers, useBuiltServeFixture, velocityEnv } from '../support/serve-customers.js';
import { terraformAvailable } from '../support/sim/index.js';
import { tfOk } from '../support/terraform-run.js';

describe.skipIf(!terraformAvailable())('velocity apply FILE on a velocity server after its cone moved (needs terraform)', () => {
  const server = useBuiltServeFixture();

  it('is STATE_MOVED, writes nothing and keeps the sub-workspace', async () => {
    const ws = await serveCustomers(server(), 2);
    const sub = await savedPlan(ws, 'b');
    const planned = (JSON.parse(await tfOk(ws.dir, ['state', 'pull'], ws.env)) as { serial: number }).serial;
    const other = await applyCustomer(ws, 1, 'z').done;
    expect(other.code, other.stdout + other.stderr).toBe(0);
    const moved = await tfOk(ws.dir, ['state', 'pull'], ws.env);
    const versions = (await new ServeClient(server().server.url).history(ws.guid)).length;
    const r = await runVelocityBin(['apply', '-no-color', '-input=false', 'p.tfplan'], { cwd: ws.dir, env: velocityEnv(ws) });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain('error[STATE_MOVED]');
    expect(r.stderr).toMatch(new RegExp(`the real state changed since the plan at [^:]*terraform_data\\.c1[^:]*: its serial is ${(JSON.parse(moved) as { serial: number }).serial}, the plan was made at serial ${planned}`));
    expect(r.stderr).toContain(`the sub-workspace ${sub} is kept`);
    expect(r.stdout).not.toContain('Apply complete');
    expect(existsSync(sub)).toBe(true);
    expect(await tfOk(ws.dir, ['state', 'pull'], ws.env)).toBe(moved);
    expect(await new ServeClient(server().server.url).history(ws.guid)).toHaveLength(versions);
    expect(await new ServeResourceLockManager({ origin: server().server.url, guid: ws.guid, auth: undefined }).locks()).toEqual([]);
  }, 240_000);
});
