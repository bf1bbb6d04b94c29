// Test support: a workspace whose `http` backend is an in-process state server (test/support/http-state-server.ts),
// initialized and applied with the given blocks. Every test of velocity against a remote backend starts here.
// Guarantees: the binary runs asynchronously (the server lives in this process); cleanup removes both.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStateServer, type StateServer, type StateServerOptions } from './http-state-server.js';
import { tfOk } from './terraform-run.js';

export interface HttpBackendWorkspace {
  readonly server: StateServer;
  readonly dir: string;
  cleanup(): Promise<void>;
}

/** `main.tf` = the http backend block + `blocks`; `init` and `apply` done (with `env`, e.g. a sim's reattach env, over tfEnv()). */
export async function httpBackendWorkspace(blocks: readonly string[], options: StateServerOptions = {}, env?: NodeJS.ProcessEnv): Promise<HttpBackendWorkspace> {
  const server = await startStateServer(options);
  const dir = mkdtempSync(join(tmpdir(), 'velocity-http-backend-'));
  const backend = `terraform {\n  backend "http" {\n    address = "${server.url}"\n    lock_address = "${server.url}"\n    unlock_address = "${server.url}"\n  }\n}`;
  writeFileSync(join(dir, 'main.tf'), [backend, ...blocks].join('\n\n'));
  // NOTE: asynchronous runs: the state server lives in this process, a synchronous child would block it.
  await tfOk(dir, ['init', '-input=false', '-no-color'], env);
  await tfOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color'], env);
  return {
    server,
    dir,
    cleanup: async () => {
      rmSync(dir, { recursive: true, force: true });
      await server.close();
    },
  };
}
