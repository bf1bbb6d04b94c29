// Once per test run: dist/ brought up to date with src/ (tests that run the built bin or entry then only check it),
// and one embedded PostgreSQL server (started once, shared by every test file through `inject`).
// Test files isolate themselves by schema or database name, never by server. Works from a checkout anywhere, also
// as root under a 0700 directory (startEmbeddedPostgres places binaries and cluster where the server user can reach).

import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/lock/start-embedded-postgres.js';
import { ensureBuilt } from './support/built-package.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
    pgDataDir: string;
  }
}

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureBuilt();
  const root = await mkdtemp(join(tmpdir(), 'velocity-pg-'));
  // mkdtemp makes 0700; as root the server runs as `postgres`, which may then keep its cluster here.
  await chmod(root, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: join(root, 'data'), ephemeral: true });
  project.provide('pgUrl', server.url);
  project.provide('pgDataDir', server.dataDir);
  return async () => {
    await server.stop();
    await rm(root, { recursive: true, force: true });
    // A stand-in cluster outside `root` (an unreachable TMPDIR as root) goes too.
    for (const p of [server.dataDir, `${server.dataDir}.lock`, `${server.dataDir}.log`]) await rm(p, { recursive: true, force: true });
  };
}
