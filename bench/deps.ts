// `npm run bench:deps` (issue 14): what cross-state dependencies cost on a velocity server, in-process on an
// embedded PostgreSQL. (1) A consumer's write under an apply lock: the lock grant records its producers' versions
// and the write acknowledges its FANIN incoming edges in the same transaction; baseline: the same lock and write by
// a consumer that reads nothing, measured in the same run (ratio = the feature's overhead per apply). (2) The graph
// at scale: STATES states, EDGES edges of a random DAG: `GET /api/v1/deps/status` and `/order` (p50, p99).
// Every measured acknowledgement is checked (the edges are ok after the write); a failed check is reported.
//
//   npm run bench:deps
//   env: BENCH_DEPS_STATES (default 500), BENCH_DEPS_EDGES (default 2000), BENCH_DEPS_FANIN (default 200),
//        BENCH_DEPS_RUNS (default 30), DATABASE_URL (else an embedded PostgreSQL in a temp data dir)

import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { DepsGraph } from '../src/deps/deps-graph.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/lock/start-embedded-postgres.js';
import { startServeServer } from '../src/serve/http-server.js';
import { migrateServeUp, openServeDatabase } from '../src/serve/open-serve-database.js';
import { StateStore } from '../src/serve/state-store.js';
import { load1, median } from './bench-process.js';

const STATES = Number(process.env['BENCH_DEPS_STATES'] ?? 500);
const EDGES = Number(process.env['BENCH_DEPS_EDGES'] ?? 2000);
const FANIN = Number(process.env['BENCH_DEPS_FANIN'] ?? 200);
const RUNS = Number(process.env['BENCH_DEPS_RUNS'] ?? 30);
const OUTPUTS = 4;

/** A deterministic PRNG (mulberry32), so every run builds the same graph. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const p99 = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(0.99 * xs.length))] ?? 0;
const ms = (x: number): string => `${x.toFixed(1)} ms`;

/** A state document: `outputs` o0..o3 (a string and a 50-string list each), one terraform_data. */
function stateDoc(lineage: string, serial: number, tag: string): string {
  const outputs: Record<string, unknown> = {};
  for (let o = 0; o < OUTPUTS; o++) outputs[`o${o}`] = { value: { id: `${tag}-${o}`, list: Array.from({ length: 50 }, (_, i) => `${tag}-${o}-${i}`) }, type: ['object', { id: 'string', list: ['list', 'string'] }] };
  const resources = [{ mode: 'managed', type: 'terraform_data', name: 'x', provider: 'provider["terraform.io/builtin/terraform"]', instances: [{ schema_version: 0, attributes: { id: tag, input: null, output: null, triggers_replace: null }, sensitive_attributes: [] }] }];
  return JSON.stringify({ version: 4, terraform_version: '1.11.4', serial, lineage, outputs, resources, check_results: null });
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'velocity-bench-deps-'));
  let embedded: EmbeddedPostgres | undefined;
  const url = process.env['DATABASE_URL'] ?? (embedded = await startEmbeddedPostgres({ dataDir: join(root, 'pg') })).url;
  const schema = `bench_deps_${Date.now()}`;
  const db = await openServeDatabase({ databaseUrl: url, schema });
  await migrateServeUp(db);
  const store = new StateStore(db.pool, schema, 60_000);
  const server = await startServeServer({ store });
  const call = async (method: string, path: string, body?: string): Promise<{ status: number; json: unknown; ms: number }> => {
    const t = performance.now();
    const res = await fetch(`${server.url}${path}`, { method, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(120_000) });
    const text = await res.text();
    const elapsed = performance.now() - t;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return { status: res.status, json: text === '' ? undefined : JSON.parse(text), ms: elapsed };
  };
  const problems: string[] = [];
  try {
    process.stderr.write(`bench:deps: ${STATES} states, ${EDGES} edges, fan-in ${FANIN}, ${RUNS} runs; ${cpus().length} cores, load ${load1().toFixed(2)}\n`);
    // States s0000.. with outputs; edges of a random DAG (producer index < consumer index), in one SQL batch each
    // (the acyclic trigger still checks every row).
    const guids: string[] = [];
    for (let i = 0; i < STATES; i++) {
      const g = uuidv7();
      guids.push(g);
      await store.create(g, `s${String(i).padStart(4, '0')}`);
      await store.write(g, Buffer.from(stateDoc(randomUUID(), 1, `s${i}`)));
    }
    const rnd = prng(14);
    const seen = new Set<string>();
    const rows: [string, string, string, string][] = [];
    for (let tries = 0; rows.length < EDGES && tries < EDGES * 20; tries++) {
      const a = Math.floor(rnd() * (STATES - 1));
      const b = a + 1 + Math.floor(rnd() * (STATES - 1 - a));
      const o = `o${Math.floor(rnd() * OUTPUTS)}`;
      const k = `${a}/${o}/${b}`;
      if (seen.has(k)) continue;
      seen.add(k);
      rows.push([guids[a] as string, o, guids[b] as string, `s${a}_${o}`]);
    }
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += 500) {
      const batch = rows.slice(i, i + 500);
      await db.pool.query(`INSERT INTO ${schema}.state_edges (producer, output, consumer, input) SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[])`, [batch.map((r) => r[0]), batch.map((r) => r[1]), batch.map((r) => r[2]), batch.map((r) => r[3])]);
    }
    process.stderr.write(`bench:deps: ${rows.length} edges inserted through the acyclic trigger in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

    // (1) Consumer writes under an apply lock: FANIN incoming edges (FANIN/OUTPUTS producers x OUTPUTS outputs)
    // against a consumer that reads nothing.
    const reader = uuidv7();
    const loner = uuidv7();
    await store.create(reader, 'reader');
    await store.create(loner, 'loner');
    const fanin: [string, string, string, string][] = [];
    for (let i = 0; fanin.length < FANIN && i < STATES; i++) for (let o = 0; o < OUTPUTS && fanin.length < FANIN; o++) fanin.push([guids[i] as string, `o${o}`, reader, `s${i}_o${o}`]);
    await db.pool.query(`INSERT INTO ${schema}.state_edges (producer, output, consumer, input) SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[])`, [fanin.map((r) => r[0]), fanin.map((r) => r[1]), fanin.map((r) => r[2]), fanin.map((r) => r[3])]);
    const lineages = new Map([[reader, randomUUID()], [loner, randomUUID()]]);
    const serials = new Map([[reader, 0], [loner, 0]]);
    const info = (id: string) => JSON.stringify({ ID: id, Operation: 'OperationTypeApply', Info: '', Who: 'bench@deps', Version: '1.11.4', Created: new Date().toISOString(), Path: '' });
    const applyOnce = async (guid: string): Promise<{ lockMs: number; writeMs: number }> => {
      const id = randomUUID();
      const lock = await call('LOCK', `/tfstate/${guid}/lock`, info(id));
      const serial = (serials.get(guid) ?? 0) + 1;
      serials.set(guid, serial);
      const write = await call('POST', `/tfstate/${guid}?ID=${id}`, stateDoc(lineages.get(guid) as string, serial, `c${serial}`));
      await call('UNLOCK', `/tfstate/${guid}/unlock`, info(id));
      return { lockMs: lock.ms, writeMs: write.ms };
    };
    const results = new Map<string, { lockMs: number[]; writeMs: number[] }>([[reader, { lockMs: [], writeMs: [] }], [loner, { lockMs: [], writeMs: [] }]]);
    for (let r = 0; r < RUNS + 3; r++) {
      // Interleaved, so drift in the machine's load hits both alike; the first 3 rounds warm up and are dropped.
      for (const g of r % 2 === 0 ? [reader, loner] : [loner, reader]) {
        if (g === reader) {
          // A producer write between applies, so every acknowledgement changes FANIN/OUTPUTS... edges again.
          const p = guids[r % Math.max(1, Math.ceil(FANIN / OUTPUTS))] as string;
          await store.write(p, Buffer.from(stateDoc((await store.get(p)).lineage as string, ((await store.get(p)).serial ?? 0) + 1, `p${r}`)));
        }
        const m = await applyOnce(g);
        if (r >= 3) {
          results.get(g)?.lockMs.push(m.lockMs);
          results.get(g)?.writeMs.push(m.writeMs);
        }
      }
    }
    const g = DepsGraph.fromJson((await call('GET', '/api/v1/deps')).json);
    const readerEdges = g.edges().filter((e) => e.consumer === 'reader');
    const notOk = readerEdges.filter((e) => g.edgeStatus(e) !== 'ok').length;
    if (readerEdges.length !== FANIN || notOk > 0) problems.push(`after the last apply, reader has ${readerEdges.length} edges (want ${FANIN}), ${notOk} not ok`);

    // (2) The graph at scale.
    const statusMs: number[] = [];
    const orderMs: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      statusMs.push((await call('GET', '/api/v1/deps/status')).ms);
      orderMs.push((await call('GET', `/api/v1/deps/order?from=s0000`)).ms);
    }
    const statuses = (await call('GET', '/api/v1/deps/status')).json as { status: string }[];
    if (statuses.length !== new Set([...rows.flatMap((r) => [r[0], r[2]]), reader, ...fanin.map((f) => f[0])]).size) problems.push(`status lists ${statuses.length} states`);

    const rd = results.get(reader) as { lockMs: number[]; writeMs: number[] };
    const ln = results.get(loner) as { lockMs: number[]; writeMs: number[] };
    const applyMs = (x: { lockMs: number[]; writeMs: number[] }) => x.lockMs.map((l, i) => l + (x.writeMs[i] ?? 0));
    const lines = [
      '',
      `| per apply (lock + write), median of ${RUNS} | consumer reading ${FANIN} outputs | consumer reading nothing (baseline) | ratio |`,
      '|---|---|---|---|',
      `| LOCK (records the producers' versions) | ${ms(median(rd.lockMs))} | ${ms(median(ln.lockMs))} | ${(median(rd.lockMs) / median(ln.lockMs)).toFixed(2)}x |`,
      `| write (acknowledges in its transaction) | ${ms(median(rd.writeMs))} | ${ms(median(ln.writeMs))} | ${(median(rd.writeMs) / median(ln.writeMs)).toFixed(2)}x |`,
      `| both | ${ms(median(applyMs(rd)))} | ${ms(median(applyMs(ln)))} | ${(median(applyMs(rd)) / median(applyMs(ln))).toFixed(2)}x |`,
      '',
      `| graph of ${statuses.length} states, ${rows.length + FANIN} edges | p50 | p99 |`,
      '|---|---|---|',
      `| GET /api/v1/deps/status | ${ms(median(statusMs))} | ${ms(p99(statusMs))} |`,
      `| GET /api/v1/deps/order?from=s0000 | ${ms(median(orderMs))} | ${ms(p99(orderMs))} |`,
      '',
      `peak RSS of this process (client and server; PostgreSQL not counted): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; load ${load1().toFixed(2)}`,
      problems.length === 0 ? 'checks: every measured acknowledgement left the consumer\'s edges ok; status lists every state' : `CHECKS FAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await server.close();
    await db.pool.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => {});
    await db.close();
    await embedded?.stop();
    await rm(root, { recursive: true, force: true });
  }
  if (problems.length > 0) process.exitCode = 1;
}

await main();
