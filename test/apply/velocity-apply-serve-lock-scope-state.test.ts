// `--lock-scope state` (the whole-state baseline of bench:serve): an inject-mode apply on a velocity server locks
// the whole state (`["*"]`, the server's lock_state) instead of its cone, and still writes its subgraph under it.
import { describe, expect, it } from 'vitest';
import { applyCustomer, serveCustomers, useBuiltServeFixture } from '../support/serve-customers.js';
import { terraformAvailable } from '../support/sim/index.js';
import { tfOk } from '../support/terraform-run.js';

describe.skipIf(!terraformAvailable())('velocity apply --lock-scope state on a velocity server (needs terraform)', () => {
  const server = useBuiltServeFixture();

  it('locks the whole state and writes the subgraph', async () => {
    const ws = await serveCustomers(server(), 2);
    const r = await applyCustomer(ws, 2, 'q', ['--lock-scope', 'state']).done;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Velocity: locked the whole state on the velocity server http:\/\/127\.0\.0\.1:\d+ \(lock [0-9a-f-]{36}\)/);
    expect(r.stdout).toContain("Velocity: wrote the sub-workspace's subgraph to the velocity server");
    const doc = JSON.parse(await tfOk(ws.dir, ['state', 'pull'], ws.env)) as { outputs: Record<string, { value: unknown }> };
    expect([doc.outputs['c1']?.value, doc.outputs['c2']?.value]).toEqual(['a', 'q']);
  }, 240_000);
});
