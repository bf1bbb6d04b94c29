// The sim provider's gRPC service (Terraform plugin protocol 6) on a unix socket, backed by a SimCloud.
// Guarantees: each RPC is counted once; plan/apply follow the protocol's rules (computed id unknown on create, prior id
// kept on update, a name change forces replacement, null proposed state = destroy); failures come back as diagnostics.
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { SimCloud } from './sim-cloud.js';
import {
  SIM_RESOURCE_TYPE,
  decodeDynamic,
  encodeDynamic,
  isKnownObject,
  nameOf,
  simId,
  toSimObject,
  type KnownSimObject,
  type SimObject,
} from './sim-values.js';

/** A running gRPC server. */
export interface SimGrpcServer {
  /** Stop accepting calls and close every connection. Idempotent. */
  close(): Promise<void>;
}

type Msg = Record<string, unknown>;
type Diagnostic = { severity: number; summary: string; detail: string };

const PROTO_DIR = fileURLToPath(new URL('./proto/', import.meta.url));
const ERROR = 1;

const SCHEMA = {
  version: 0,
  block: {
    version: 0,
    description: 'An object in the simulated cloud.',
    attributes: [
      { name: 'id', type: json('string'), computed: true, description: 'Remote id, assigned on create.' },
      { name: 'name', type: json('string'), required: true, description: 'Unique name; changing it replaces the object.' },
      { name: 'inputs', type: json(['map', 'string']), optional: true, description: 'Free-form inputs (references).' },
      { name: 'value', type: json('string'), optional: true, description: 'Free-form value; drift target.' },
    ],
  },
};

/** Serve the sim provider on `socketPath` (plaintext, as go-plugin's reattach expects). O(1). */
export async function serveSimProvider(cloud: SimCloud, socketPath: string): Promise<SimGrpcServer> {
  const loadOptions = { keepCase: true, longs: Number, enums: Number, defaults: true, oneofs: true, includeDirs: [PROTO_DIR] };
  const pluginDef = protoLoader.loadSync('sim-plugin.proto', loadOptions);
  const healthDef = protoLoader.loadSync('sim-health.proto', loadOptions);
  const plugin = grpc.loadPackageDefinition(pluginDef) as unknown as { tfplugin6: { Provider: grpc.ServiceClientConstructor } };
  const health = grpc.loadPackageDefinition(healthDef) as unknown as {
    grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
  };

  const server = new grpc.Server();
  server.addService(plugin.tfplugin6.Provider.service, providerHandlers(cloud));
  server.addService(health.grpc.health.v1.Health.service, {
    Check: (_call: grpc.ServerUnaryCall<Msg, Msg>, cb: grpc.sendUnaryData<Msg>) => cb(null, { status: 1 }),
  });
  await new Promise<void>((resolve, reject) => {
    server.bindAsync(`unix://${socketPath}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve()));
  });
  let closed: Promise<void> | undefined;
  return {
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        // NOTE: Terraform keeps no call open between commands; forceShutdown avoids waiting on idle connections.
        server.forceShutdown();
        resolve();
      });
      return closed;
    },
  };
}

function providerHandlers(cloud: SimCloud): grpc.UntypedServiceImplementation {
  const unary =
    (method: string, fn: (req: Msg, call: grpc.ServerUnaryCall<Msg, Msg>) => Msg | Promise<Msg>) =>
    (call: grpc.ServerUnaryCall<Msg, Msg>, cb: grpc.sendUnaryData<Msg>) => {
      cloud.countRpc(method);
      Promise.resolve()
        .then(() => fn(call.request, call))
        .then(
          (res) => cb(null, res),
          (err: unknown) => cb({ code: grpc.status.INTERNAL, details: `sim ${method}: ${String(err)}` }),
        );
    };

  return {
    GetMetadata: unary('GetMetadata', () => ({
      server_capabilities: { plan_destroy: false, get_provider_schema_optional: false },
      resources: [{ type_name: SIM_RESOURCE_TYPE }],
      diagnostics: [],
    })),
    GetProviderSchema: unary('GetProviderSchema', () => ({
      provider: { version: 0, block: { version: 0, attributes: [] } },
      resource_schemas: { [SIM_RESOURCE_TYPE]: SCHEMA },
      data_source_schemas: {},
      server_capabilities: { plan_destroy: false, get_provider_schema_optional: false },
      diagnostics: [],
    })),
    ValidateProviderConfig: unary('ValidateProviderConfig', () => ({ diagnostics: [] })),
    ConfigureProvider: unary('ConfigureProvider', () => ({ diagnostics: [] })),
    StopProvider: unary('StopProvider', () => ({ Error: '' })),

    ValidateResourceConfig: unary('ValidateResourceConfig', (req) => {
      const wrongType = typeDiagnostics(req);
      if (wrongType.length > 0) return { diagnostics: wrongType };
      const config = toSimObject(decodeDynamic(dyn(req.config)));
      const diagnostics: Diagnostic[] = [];
      if (config !== null && config.name === '') diagnostics.push(error('sim_resource.name must not be empty', ''));
      return { diagnostics };
    }),

    UpgradeResourceState: unary('UpgradeResourceState', (req) => {
      const wrongType = typeDiagnostics(req);
      if (wrongType.length > 0) return { diagnostics: wrongType };
      const raw = req.raw_state as { json?: Uint8Array } | null;
      const text = raw?.json !== undefined && raw.json.length > 0 ? Buffer.from(raw.json).toString('utf8') : 'null';
      const upgraded = toSimObject(JSON.parse(text));
      return { upgraded_state: { msgpack: encodeDynamic(upgraded) }, diagnostics: [] };
    }),

    ReadResource: unary('ReadResource', async (req) => {
      const wrongType = typeDiagnostics(req);
      if (wrongType.length > 0) return { diagnostics: wrongType };
      const prior = toSimObject(decodeDynamic(dyn(req.current_state)));
      const privateBytes = req.private ?? Buffer.alloc(0);
      if (prior === null) return { new_state: { msgpack: encodeDynamic(null) }, private: privateBytes, diagnostics: [] };
      const name = nameOf(prior);
      if (!isKnownObject(prior)) {
        return { diagnostics: [error('sim: cannot read an object with unknown attributes', `resource ${name}`)] };
      }
      const current = await cloud.read(name, prior);
      if (cloud.shouldFail('read', name)) {
        return { diagnostics: [error(`sim: injected read failure for ${name}`, 'ReadResource failed on purpose (failOn.read).')] };
      }
      return { new_state: { msgpack: encodeDynamic(current) }, private: privateBytes, diagnostics: [] };
    }),

    PlanResourceChange: unary('PlanResourceChange', (req) => {
      const wrongType = typeDiagnostics(req);
      if (wrongType.length > 0) return { diagnostics: wrongType };
      const prior = toSimObject(decodeDynamic(dyn(req.prior_state)));
      const proposed = toSimObject(decodeDynamic(dyn(req.proposed_new_state)));
      const privateBytes = req.prior_private ?? Buffer.alloc(0);
      if (proposed === null) {
        // Destroy: Terraform only asks when plan_destroy is set; answer consistently anyway.
        return { planned_state: { msgpack: encodeDynamic(null) }, planned_private: privateBytes, diagnostics: [] };
      }
      const name = nameOf(proposed);
      if (cloud.shouldFail('plan', name)) {
        return { diagnostics: [error(`sim: injected plan failure for ${name}`, 'PlanResourceChange failed on purpose (failOn.plan).')] };
      }
      const planned: SimObject = { ...proposed };
      const requiresReplace: Msg[] = [];
      if (prior === null) {
        planned.id = undefined; // computed: known only after apply
      } else {
        planned.id = prior.id;
        if (prior.name !== proposed.name) {
          requiresReplace.push({ steps: [{ attribute_name: 'name' }] });
          planned.id = undefined;
        }
      }
      return {
        planned_state: { msgpack: encodeDynamic(planned) },
        requires_replace: requiresReplace,
        planned_private: privateBytes,
        diagnostics: [],
      };
    }),

    ApplyResourceChange: unary('ApplyResourceChange', async (req, call) => {
      const wrongType = typeDiagnostics(req);
      if (wrongType.length > 0) return { diagnostics: wrongType };
      const prior = toSimObject(decodeDynamic(dyn(req.prior_state)));
      const planned = toSimObject(decodeDynamic(dyn(req.planned_state)));
      const name = nameOf(planned ?? prior);
      cloud.countApply(name);
      if (cloud.shouldFail('apply', name)) {
        return { diagnostics: [error(`sim: injected apply failure for ${name}`, 'ApplyResourceChange failed on purpose (failOn.apply).')] };
      }
      // NOTE: a held apply whose caller went away (terraform killed) or that timed out changes nothing in the cloud.
      if (!(await cloud.applyGate(name)) || call.cancelled) {
        return { diagnostics: [error(`sim: held apply of ${name} was not released, or its caller went away`, 'ApplyResourceChange held (holdApplies).')] };
      }
      if (planned === null) {
        if (prior !== null && typeof prior.id === 'string') cloud.remove(prior.id);
        return { new_state: { msgpack: encodeDynamic(null) }, private: Buffer.alloc(0), diagnostics: [] };
      }
      if (typeof planned.name !== 'string') {
        return { diagnostics: [error('sim: name is unknown at apply time', 'Terraform sent an unknown name to ApplyResourceChange.')] };
      }
      const filled: SimObject = { ...planned, id: typeof planned.id === 'string' ? planned.id : simId(planned.name) };
      if (!isKnownObject(filled)) {
        return { diagnostics: [error(`sim: planned state of ${name} still has unknown values at apply time`, '')] };
      }
      const stored: KnownSimObject = cloud.put({ id: filled.id, name: filled.name, inputs: filled.inputs, value: filled.value });
      return { new_state: { msgpack: encodeDynamic(stored) }, private: req.planned_private ?? Buffer.alloc(0), diagnostics: [] };
    }),

    ImportResourceState: unary('ImportResourceState', (req) => {
      const wrongType = typeDiagnostics(req);
      if (wrongType.length > 0) return { diagnostics: wrongType };
      const id = String(req.id ?? '');
      const found = cloud.get(id);
      if (found === undefined) {
        return { imported_resources: [], diagnostics: [error(`sim: cannot import ${id}: no such object`, '')] };
      }
      return {
        imported_resources: [{ type_name: SIM_RESOURCE_TYPE, state: { msgpack: encodeDynamic(found) }, private: Buffer.alloc(0) }],
        diagnostics: [],
      };
    }),
  };
}

function typeDiagnostics(req: Msg): Diagnostic[] {
  return req.type_name === SIM_RESOURCE_TYPE ? [] : [error(`sim: unknown resource type ${String(req.type_name)}`, '')];
}

function dyn(v: unknown): Uint8Array | null {
  const d = v as { msgpack?: Uint8Array } | null | undefined;
  return d?.msgpack ?? null;
}

function error(summary: string, detail: string): Diagnostic {
  return { severity: ERROR, summary, detail };
}

function json(t: unknown): Buffer {
  return Buffer.from(JSON.stringify(t));
}
