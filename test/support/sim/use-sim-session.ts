// One sim + workspace per describe block: started in beforeAll, stopped in afterAll (also when a test fails).
import { afterAll, beforeAll } from 'vitest';
import { startSimWorkspace, type SimSession } from './start-sim-workspace.js';

/** Registers the hooks and returns an accessor for the running session. */
export function useSimSession(options: Parameters<typeof startSimWorkspace>[0]): () => SimSession {
  let session: SimSession | undefined;
  beforeAll(async () => {
    session = await startSimWorkspace(options);
  });
  afterAll(async () => {
    await session?.stop();
  });
  return () => {
    if (!session) throw new Error('the sim session did not start (see the beforeAll failure)');
    return session;
  };
}
