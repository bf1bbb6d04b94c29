// Test support for kill tests of the state backend: a POST sent in chunks (so a kill can land mid-body), and whether
// a write transaction of a state is open right now, seen from PostgreSQL. Guarantees: the POST never throws (a dead
// connection answers 0); the probe is one query.
import { request } from 'node:http';
import type pg from 'pg';

/** POSTs `body` to `url` in 64 KiB chunks (a pause after each of the first 8); `onChunk(n, last)` after each. Resolves with the status, or 0 when the connection died. */
export function postInChunks(url: string, body: Buffer, onChunk: (n: number, last: boolean) => void): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0));
    const size = 64 * 1024;
    let n = 0;
    const next = (): void => {
      if (req.destroyed) return;
      const chunk = body.subarray(n * size, (n + 1) * size);
      if (chunk.length === 0) {
        req.end();
        return;
      }
      n++;
      req.write(chunk, () => {
        onChunk(n, (n + 1) * size >= body.length);
        setTimeout(next, n <= 8 ? 20 : 0);
      });
    };
    next();
  });
}

/**
 * Whether a write transaction of state `guid` in `schema` is open now: whole and subgraph writes hold the state's
 * root intention lock shared (an advisory lock on hashtextextended(schema, guid, '')) from their start to the commit.
 * O(locks of the server).
 */
export async function writeTransactionOpen(client: pg.Client, schema: string, guid: string): Promise<boolean> {
  const r = await client.query(
    `WITH k AS (SELECT hashtextextended($1 || chr(31) || $2 || chr(31) || '', 0) AS k)
     SELECT 1 FROM pg_locks l, k WHERE l.locktype = 'advisory' AND l.mode = 'ShareLock' AND l.granted
        AND l.classid::bigint = ((k.k >> 32) & 4294967295) AND l.objid::bigint = (k.k & 4294967295)`,
    [schema, guid],
  );
  return r.rows.length > 0;
}

/**
 * Where a kill lands in a POST: after `chunks` chunks of the body; `bodyMs` after its last byte was sent (parsing,
 * checking, the transaction); as soon as the write's transaction is seen open; or after the answer.
 */
export type KillPoint = { readonly chunks: number } | { readonly bodyMs: number } | { readonly inTransaction: true } | { readonly answered: true };

/**
 * Starts postInChunks(url, body) and resolves once `point` is reached (`open` probes the transaction; bounded:
 * 30 s), with the answer still to come (0 when the connection dies).
 */
export async function postToKillPoint(url: string, body: Buffer, point: KillPoint, open: () => Promise<boolean>): Promise<{ answer: Promise<number> }> {
  let chunksSent = 0;
  let sentAll = false;
  let answered = false;
  const answer = postInChunks(url, body, (n, last) => ((chunksSent = n), (sentAll ||= last)));
  void answer.then(() => (answered = true));
  const end = Date.now() + 30_000;
  const wait = async (done: () => boolean | Promise<boolean>, what: string): Promise<void> => {
    // NOTE: a tight poll (1 ms, or one probe a round trip), not a 50 ms one: a transaction lasts a few hundred ms.
    while (!(await done())) {
      if (Date.now() > end) throw new Error(`timed out after 30 s waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  if ('chunks' in point) await wait(() => answered || chunksSent >= point.chunks, `${point.chunks} chunks sent`);
  else if ('bodyMs' in point) {
    await wait(() => answered || sentAll, 'the whole body sent');
    await new Promise((r) => setTimeout(r, point.bodyMs));
  } else if ('inTransaction' in point) await wait(async () => answered || (await open()), 'the write transaction');
  else await answer;
  // NOTE: wrapped: an async function returning the bare promise would wait for the answer itself.
  return { answer };
}
