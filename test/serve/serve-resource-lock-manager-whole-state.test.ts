// ServeResourceLockManager with `["*"]` (the whole state, `--lock-scope state`): granted as the server's whole-state
// lock, conflicting with any resource lock, renewed (its lease extended), and released.
import { describe, expect, it } from 'vitest';
import { newLockInfo } from '../../src/lock/lock-info.js';
import { ServeResourceLockManager } from '../../src/serve/serve-resource-lock-manager.js';
import { useServeFixture } from './helpers/serve-fixture.js';

describe('ServeResourceLockManager: the whole-state lock', () => {
  const fx = useServeFixture();

  it('is granted, excludes resource locks, renews and unlocks', async () => {
    const backend = { origin: fx().server.url, guid: await fx().newState(), auth: undefined };
    const a = new ServeResourceLockManager(backend);
    const whole = await a.lockResources(['*'], newLockInfo({ who: 'bench@baseline' }));
    expect(whole.resources).toEqual(['*']);
    const refused = await a.lockResources(['terraform_data.x'], newLockInfo()).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'LOCK_CONFLICT', holder: { ID: whole.id, Who: 'bench@baseline' } });
    const before = whole.expiresAt?.getTime() ?? 0;
    await new Promise((r) => setTimeout(r, 20));
    await whole.renew();
    expect(whole.expiresAt?.getTime() ?? 0).toBeGreaterThan(before);
    await whole.unlock();
    expect(await a.locks()).toEqual([]);
  });
});
