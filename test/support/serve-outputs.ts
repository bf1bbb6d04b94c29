// Test support: a state on a velocity serve fixture whose only content is root outputs (what a producer's apply
// would leave), written as a plain client's whole write; the lineage is fixed per guid so serials can go up.
import type { ServeFixture } from '../serve/helpers/serve-fixture.js';

/** Writes serial `serial` of state `guid` with `outputs` (name → string value). */
export async function writeOutputs(fx: ServeFixture, guid: string, serial: number, outputs: Readonly<Record<string, string>>, token?: string): Promise<void> {
  const doc = {
    version: 4,
    terraform_version: '1.11.4',
    serial,
    lineage: `11111111-0000-4000-8000-${guid.replace(/-/g, '').slice(-12)}`,
    outputs: Object.fromEntries(Object.entries(outputs).map(([k, value]) => [k, { value, type: 'string' }])),
    resources: [],
    check_results: null,
  };
  const res = await fetch(`${fx.server.url}/tfstate/${guid}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Basic ${Buffer.from(`velocity:${token}`).toString('base64')}` }) },
    body: JSON.stringify(doc),
    signal: AbortSignal.timeout(30_000),
  });
  if (res.status !== 200) throw new Error(`writing ${guid}: ${res.status} ${await res.text()}`);
}
