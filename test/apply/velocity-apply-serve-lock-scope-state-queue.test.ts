// `--lock-scope state` makes concurrent applies on a velocity server queue: each takes the whole-state lock before
// its plan reads the state, so two started together both succeed, one after the other (the second plans at the
// first's serial, never STATE_MOVED). Both run the combined edit (they share one configuration): the first applies
// it, the second finds it applied.
import { describe, expect, it } from 'vitest';
import { applyCustomer, serveCustomers, useBuiltServeFixture } from '../support/serve-customers.js';
import { terraformAvailable } from '../support/sim/index.js';
import { tfOk } from '../support/terraform-run.js';

describe.skipIf(!terraformAvailable())('velocity apply --lock-scope state on a velocity server, two at once (needs terraform)', () => {
  const server = useBuiltServeFixture();

  it('queues the second behind the first; both exit 0', async () => {
    const ws = await serveCustomers(server(), 3);
    const flags = ['--lock-scope', 'state', '-lock-timeout=120s'];
    const [r1, r2] = await Promise.all([applyCustomer(ws, 1, 'q', [...flags, '-var=c2=q']).done, applyCustomer(ws, 2, 'q', [...flags, '-var=c1=q']).done]);
    for (const r of [r1, r2]) {
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/Velocity: locked the whole state on the velocity server/);
    }
    const doc = JSON.parse(await tfOk(ws.dir, ['state', 'pull'], ws.env)) as { outputs: Record<string, { value: unknown }> };
    expect([doc.outputs['c1']?.value, doc.outputs['c2']?.value, doc.outputs['c3']?.value]).toEqual(['q', 'q', 'a']);
  }, 240_000);
});
