// One embedded PostgreSQL server for the whole test run (started once, shared by every test file through `inject`).
// Test files isolate themselves by schema or database name, never by server.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/lock/start-embedded-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
    pgDataDir: string;
  }
}

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), 'velocity-pg-'));
  const server = await startEmbeddedPostgres({ dataDir: join(root, 'data'), ephemeral: true });
  project.provide('pgUrl', server.url);
  project.provide('pgDataDir', join(root, 'data'));
  return async () => {
    await server.stop();
    await rm(root, { recursive: true, force: true });
  };
}
