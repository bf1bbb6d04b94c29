// The http adapter turns a down server and unexpected answers into typed errors, with custom methods and addresses.
import { describe, it, expect } from 'vitest';
import { createServer } from 'node:http';
import { GlobalFallbackLockManager } from '../../src/lock/global-fallback-lock-manager.js';
import { HttpLockAdapter } from '../../src/lock/http-lock-adapter.js';
import { newLockInfo } from '../../src/lock/lock-info.js';

describe('HttpLockAdapter errors and options', () => {
  it('a server that is down → LOCK_BACKEND_UNAVAILABLE', async () => {
    const m = new GlobalFallbackLockManager(new HttpLockAdapter({ address: 'http://127.0.0.1:9/state', timeoutMs: 2000 }));
    const err = await m.lockResources(['terraform_data.a'], newLockInfo()).catch((e: unknown) => e);
    expect((err as { code: string }).code).toBe('LOCK_BACKEND_UNAVAILABLE');
  });

  it('uses the configured methods and addresses; 500 → LOCK_BACKEND_PROTOCOL, 423 with junk → conflict naming no id', async () => {
    const seen: string[] = [];
    let answer = 200;
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(answer);
      res.end(answer === 423 ? 'not json' : '');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const m = new GlobalFallbackLockManager(
      new HttpLockAdapter({ address: `http://127.0.0.1:${port}/s`, lockAddress: `http://127.0.0.1:${port}/l`, unlockAddress: `http://127.0.0.1:${port}/u`, lockMethod: 'PUT', unlockMethod: 'DELETE' }),
    );
    const h = await m.lockResources(['terraform_data.a'], newLockInfo());
    await h.unlock();
    expect(seen).toEqual(['PUT /l', 'DELETE /u']);
    answer = 500;
    expect(((await m.lockResources(['terraform_data.a'], newLockInfo()).catch((e: unknown) => e)) as { code: string }).code).toBe('LOCK_BACKEND_PROTOCOL');
    answer = 423;
    const c = (await m.lockResources(['terraform_data.a'], newLockInfo()).catch((e: unknown) => e)) as { code: string; holder: { ID: string } };
    expect(c.code).toBe('LOCK_CONFLICT');
    expect(c.holder.ID).toBe('');
    await new Promise((r) => server.close(r));
  });
});
