// The latency knob delays every ReadResource; checked through counters (delayed reads, overlap), never timings.
import { describe, expect, it } from 'vitest';
import { useSimSession, terraformAvailable } from '../support/sim/index.js';

describe.skipIf(!terraformAvailable())('sim: read latency (needs terraform)', () => {
  const session = useSimSession({
      workspace: { customers: 1, tunnelsPerCustomer: 1, devicesPerCustomer: 12, withState: true },
      sim: { inProcess: true },
    });

  it('with latency 0 no read is delayed', async () => {
    await session().sim.setLatency(0);
    await session().sim.resetCounters();
    const plan = await session().terraform(['plan', '-detailed-exitcode', '-no-color']);
    expect(plan.code).toBe(0);
    const c = await session().sim.counters();
    expect(c.rpc.ReadResource).toBe(session().workspace.resourceCount);
    expect(c.delayedReads).toBe(0);
  });

  it('with latency every read is delayed, and the 12 sibling devices overlap up to -parallelism', async () => {
    // NOTE: long enough that sibling reads overlap even on a heavily loaded machine (checked by count, not time).
    await session().sim.setLatency(250);
    await session().sim.resetCounters();
    const plan = await session().terraform(['plan', '-detailed-exitcode', '-no-color', '-parallelism=4']);
    expect(plan.code).toBe(0);
    const c = await session().sim.counters();
    expect(c.rpc.ReadResource).toBe(session().workspace.resourceCount);
    expect(c.delayedReads).toBe(session().workspace.resourceCount);
    expect(c.maxConcurrentReads).toBeGreaterThan(1);
    expect(c.maxConcurrentReads).toBeLessThanOrEqual(4);
  });
});
