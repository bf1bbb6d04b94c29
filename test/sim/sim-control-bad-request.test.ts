// The control endpoint rejects malformed requests with 400 (404 for unknown routes) and changes nothing;
// the typed client turns those into errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type SimServer } from '../support/sim/index.js';

describe('sim control endpoint', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await startSim({ inProcess: true });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  const post = (path: string, body: string): Promise<Response> =>
    fetch(`${sim.controlUrl}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

  it('answers 400 with an error for malformed bodies', async () => {
    for (const [path, body] of [
      ['/latency', '{"ms":"fast"}'],
      ['/latency', '{"ms":-5}'],
      ['/fail', '{"read":"a"}'],
      ['/drift', '{"name":"a","value":3}'],
      ['/delete', '{}'],
      ['/drift', 'not json'],
    ] as const) {
      const res = await post(path, body);
      expect(res.status, `${path} ${body}`).toBe(400);
      expect(typeof ((await res.json()) as { error?: unknown }).error).toBe('string');
    }
    expect((await fetch(`${sim.controlUrl}/nope`)).status).toBe(404);
    expect(await sim.objects()).toEqual([]);
  });

  it('the typed client rejects bad input', async () => {
    await expect(sim.setLatency(1e9)).rejects.toThrow();
    await sim.setLatency(0);
  });
});
