// Hosts one sim in the current process: a SimCloud, its gRPC provider on a unix socket and its HTTP control endpoint.
// Guarantees: close() stops both servers and removes the socket file; it is idempotent.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SimCloud, type SimBehaviour } from './sim-cloud.js';
import { serveSimControl } from './sim-control.js';
import { serveSimProvider } from './sim-provider.js';

/** Where a hosted sim can be reached. */
export interface SimEndpoints {
  /** Process id serving the provider (goes into TF_REATTACH_PROVIDERS). */
  readonly pid: number;
  /** Unix socket of the gRPC provider. */
  readonly socketPath: string;
  /** Base URL of the HTTP control endpoint. */
  readonly controlUrl: string;
}

/** A sim hosted in this process. */
export interface HostedSim extends SimEndpoints {
  readonly cloud: SimCloud;
  close(): Promise<void>;
}

/** Start the provider in `dir` (which must exist and be private to this sim). O(1). */
export async function hostSim(dir: string, behaviour: SimBehaviour = {}): Promise<HostedSim> {
  const cloud = new SimCloud(behaviour);
  const socketPath = join(dir, 'sim.sock');
  const grpcServer = await serveSimProvider(cloud, socketPath);
  const control = await serveSimControl(cloud).catch(async (err: unknown) => {
    await grpcServer.close();
    throw err;
  });
  let closed: Promise<void> | undefined;
  return {
    pid: process.pid,
    socketPath,
    controlUrl: control.url,
    cloud,
    close: () => {
      closed ??= (async () => {
        await Promise.all([grpcServer.close(), control.close()]);
        await rm(socketPath, { force: true });
      })();
      return closed;
    },
  };
}
