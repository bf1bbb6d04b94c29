// A client killed (SIGKILL) while it sends a whole-state POST: the server has part of the body when the connection
// drops, stores nothing (the document and history are unchanged, the rows consistent), logs that the client went
// away (not an internal error), and serves the next write as usual.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { until } from '../support/velocity-child.js';
import { bigState } from './helpers/big-state.js';
import { raw, useLoggedServeFixture } from './helpers/serve-fixture.js';
import { stateProblems } from './helpers/state-consistency.js';

/** A node process that POSTs the first `sent` bytes of a `total`-byte body to `url`, says "sent", and waits. */
const HALF_POST = `
const { request } = require('node:http');
const [url, total, sent] = process.argv.slice(1);
const req = request(url, { method: 'POST', headers: { 'content-length': total } });
req.on('error', () => {});
req.write(Buffer.alloc(Number(sent), 0x20), () => process.stdout.write('sent\\n'));
setTimeout(() => {}, 60000);
`;

describe('a client killed mid-body', () => {
  const { server, log } = useLoggedServeFixture();

  it('stores nothing and logs that the client went away', async () => {
    const fx = server();
    const guid = await fx.newState('half');
    const lineage = randomUUID();
    expect((await raw(fx, 'POST', `/tfstate/${guid}`, JSON.stringify(bigState(10, 10, 1, lineage)))).status).toBe(200);
    const before = { doc: (await raw(fx, 'GET', `/tfstate/${guid}`)).text, history: await fx.store.history(guid) };
    const body = JSON.stringify(bigState(1000, 1000, 2, lineage, 'b'));
    const gone = (): number => log.filter((l) => l.includes('the client went away before the end of the body; nothing was stored')).length;
    for (const sent of [1, 64 * 1024, Math.floor(body.length / 2), body.length - 1]) {
      const n = gone();
      const child = spawn(process.execPath, ['-e', HALF_POST, `${fx.server.url}/tfstate/${guid}`, String(body.length), String(sent)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      const closed = new Promise((ok) => child.on('close', ok));
      await until(() => out.includes('sent'), () => `the child to send ${sent} bytes`, 30_000);
      child.kill('SIGKILL');
      await closed;
      await until(() => gone() > n, () => `the server to see the client of ${sent} bytes go`, 30_000);
      expect((await raw(fx, 'GET', `/tfstate/${guid}`)).text, `after ${sent} bytes`).toBe(before.doc);
    }
    expect(await fx.store.history(guid)).toEqual(before.history);
    expect(await stateProblems(fx.pgUrl, fx.schema, guid)).toEqual([]);
    expect(log.filter((l) => l.includes('internal error'))).toEqual([]);
    expect(gone()).toBe(4);
    expect((await raw(fx, 'POST', `/tfstate/${guid}`, body)).status).toBe(200);
    expect(await stateProblems(fx.pgUrl, fx.schema, guid)).toEqual([]);
  });
});
