// The server's table of edges between states (serve migration 4): producer state + output → consumer state + input,
// and the trigger that keeps it acyclic; and (migration 5) what an apply's lock saw of the producers. Guarantees:
// concurrent inserts from any number of connections never create a cycle: every insert takes one advisory lock of
// the table and then checks reachability against committed edges.

import type { Migration } from '../db/migrate.js';

/** SQLSTATE raised by the trigger when an edge would close a cycle. */
export const DEPS_CYCLE_SQLSTATE = 'VL010';

/** The migration for schema `s` (a checked schema name). */
export function depsMigration(s: string): Migration {
  return {
    summary: 'state_edges (dependencies between states) and the trigger that refuses a cycle',
    up: `CREATE TABLE ${s}.state_edges (
           producer   uuid  NOT NULL REFERENCES ${s}.states (guid) ON DELETE CASCADE,
           output     text  COLLATE "C" NOT NULL,
           consumer   uuid  NOT NULL REFERENCES ${s}.states (guid) ON DELETE CASCADE,
           input      text  COLLATE "C" NOT NULL,
           observed   text,
           mock       jsonb,
           created_at timestamptz NOT NULL DEFAULT now(),
           PRIMARY KEY (producer, output, consumer),
           UNIQUE (consumer, input)
         );
         CREATE INDEX state_edges_consumer ON ${s}.state_edges (consumer);
         CREATE FUNCTION ${s}.state_edges_acyclic() RETURNS trigger LANGUAGE plpgsql AS $fn$
         BEGIN
           -- NOTE: one lock for every edge insert: a plpgsql statement takes a new snapshot (READ COMMITTED), so
           -- the check below sees every edge committed before the lock was granted; two racing inserts that
           -- would close a cycle together are serialised and the second one sees the first.
           PERFORM pg_advisory_xact_lock(hashtextextended('${s}' || chr(31) || 'state_edges', 0));
           IF NEW.producer = NEW.consumer OR EXISTS (
             WITH RECURSIVE reach(node) AS (
               SELECT NEW.consumer
               UNION
               SELECT e.consumer FROM ${s}.state_edges e JOIN reach r ON e.producer = r.node
             ) SELECT 1 FROM reach WHERE node = NEW.producer
           ) THEN
             RAISE EXCEPTION 'the edge % -> % would close a cycle of states', NEW.producer, NEW.consumer USING ERRCODE = '${DEPS_CYCLE_SQLSTATE}';
           END IF;
           RETURN NEW;
         END
         $fn$;
         CREATE TRIGGER state_edges_acyclic BEFORE INSERT OR UPDATE OF producer, consumer ON ${s}.state_edges
           FOR EACH ROW EXECUTE FUNCTION ${s}.state_edges_acyclic();`,
    down: `DROP TABLE ${s}.state_edges; DROP FUNCTION ${s}.state_edges_acyclic();`,
  };
}

/** The migration for schema `s` that keeps, per apply lock, the producers' versions when it was granted (lock-reads.ts). */
export function depsLockReadsMigration(s: string): Migration {
  return {
    summary: "state_edge_reads: the producers' versions when a consumer's apply lock was granted",
    up: `CREATE TABLE ${s}.state_edge_reads (
           lock_id          uuid   NOT NULL,
           consumer         uuid   NOT NULL REFERENCES ${s}.states (guid) ON DELETE CASCADE,
           producer         uuid   NOT NULL REFERENCES ${s}.states (guid) ON DELETE CASCADE,
           producer_version bigint NOT NULL,
           taken_at         timestamptz NOT NULL DEFAULT now(),
           PRIMARY KEY (lock_id, consumer, producer)
         );
         CREATE INDEX state_edge_reads_consumer ON ${s}.state_edge_reads (consumer);`,
    down: `DROP TABLE ${s}.state_edge_reads;`,
  };
}
