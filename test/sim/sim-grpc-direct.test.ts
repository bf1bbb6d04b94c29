// The RPCs terraform 1.11.4 never calls still answer correctly (GetMetadata, StopProvider, the health check), the
// schema is the documented one, and a request for another resource type gets an error diagnostic, not a crash.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostSim, type HostedSim } from '../support/sim/index.js';
import { encodeDynamic } from '../support/sim/sim-values.js';

type Msg = Record<string, unknown>;
type Unary = (req: Msg, cb: (err: grpc.ServiceError | null, res: Msg) => void) => void;

const protoDir = fileURLToPath(new URL('../support/sim/proto/', import.meta.url));
const load = (file: string): grpc.GrpcObject =>
  grpc.loadPackageDefinition(protoLoader.loadSync(file, { keepCase: true, longs: Number, enums: Number, defaults: true, includeDirs: [protoDir] }));

describe('sim gRPC service, called directly', () => {
  let dir: string;
  let sim: HostedSim;
  let provider: grpc.Client & Record<string, Unary>;
  let health: grpc.Client & Record<string, Unary>;
  const call = (client: Record<string, Unary>, method: string, req: Msg = {}): Promise<Msg> =>
    new Promise((resolve, reject) => (client[method] as Unary).call(client, req, (err, res) => (err ? reject(err) : resolve(res))));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'velocity-sim-grpc-'));
    sim = await hostSim(dir);
    const Provider = (load('sim-plugin.proto').tfplugin6 as grpc.GrpcObject).Provider as grpc.ServiceClientConstructor;
    const Health = (((load('sim-health.proto').grpc as grpc.GrpcObject).health as grpc.GrpcObject).v1 as grpc.GrpcObject)
      .Health as grpc.ServiceClientConstructor;
    provider = new Provider(`unix://${sim.socketPath}`, grpc.credentials.createInsecure()) as never;
    health = new Health(`unix://${sim.socketPath}`, grpc.credentials.createInsecure()) as never;
  });
  afterAll(async () => {
    provider?.close();
    health?.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GetMetadata lists sim_resource; StopProvider answers with no error; health says SERVING', async () => {
    expect((await call(provider, 'GetMetadata')).resources).toEqual([{ type_name: 'sim_resource' }]);
    expect(await call(provider, 'StopProvider')).toEqual({ Error: '' });
    expect(await call(health, 'Check', { service: 'plugin' })).toEqual({ status: 1 });
    expect(sim.cloud.counters().rpc).toEqual({ GetMetadata: 1, StopProvider: 1 });
  });

  it('GetProviderSchema declares id computed, name required, inputs map(string) optional, value optional', async () => {
    const res = (await call(provider, 'GetProviderSchema')) as { resource_schemas: Record<string, { block: { attributes: Msg[] } }> };
    const attrs = res.resource_schemas.sim_resource?.block.attributes.map((a) => ({
      name: a.name,
      type: JSON.parse(Buffer.from(a.type as Uint8Array).toString('utf8')) as unknown,
      required: a.required,
      optional: a.optional,
      computed: a.computed,
    }));
    expect(attrs).toEqual([
      { name: 'id', type: 'string', required: false, optional: false, computed: true },
      { name: 'name', type: 'string', required: true, optional: false, computed: false },
      { name: 'inputs', type: ['map', 'string'], required: false, optional: true, computed: false },
      { name: 'value', type: 'string', required: false, optional: true, computed: false },
    ]);
  });

  it('PlanResourceChange on create marks id unknown; a name change requires replacement', async () => {
    const proposed = { id: null, name: 'a', inputs: null, value: 'v' };
    const created = await call(provider, 'PlanResourceChange', {
      type_name: 'sim_resource',
      prior_state: { msgpack: encodeDynamic(null) },
      proposed_new_state: { msgpack: encodeDynamic(proposed) },
      config: { msgpack: encodeDynamic(proposed) },
    });
    expect(Buffer.from((created.planned_state as { msgpack: Uint8Array }).msgpack).toString('hex')).toContain('a26964d40000'); // "id": unknown
    const renamed = await call(provider, 'PlanResourceChange', {
      type_name: 'sim_resource',
      prior_state: { msgpack: encodeDynamic({ ...proposed, id: 'sim-a' }) },
      proposed_new_state: { msgpack: encodeDynamic({ ...proposed, id: 'sim-a', name: 'b' }) },
      config: { msgpack: encodeDynamic({ ...proposed, name: 'b' }) },
    });
    expect(renamed.requires_replace).toEqual([{ steps: [{ attribute_name: 'name' }] }]);
  });

  it('a request for an unknown resource type gets an error diagnostic', async () => {
    const res = (await call(provider, 'ReadResource', { type_name: 'sim_other' })) as { diagnostics: { severity: number; summary: string }[] };
    expect(res.diagnostics.map((d) => [d.severity, d.summary])).toEqual([[1, 'sim: unknown resource type sim_other']]);
  });
});
