// The state backend's tables (component `serve` of src/db/migrate.ts), with up and down: states, their versions,
// resource instances, dependencies and outputs as rows that each live from one version until another (history is
// kept, a write stores only what changed), the whole-state lock function over the lock manager's resource_locks, and
// the indexes a subgraph write reads what changed since its base by.
// Guarantees: down undoes up exactly (the lock manager's tables are left alone).

import type { MigrationSet } from '../db/migrate.js';
import { depsLockReadsMigration, depsMigration } from '../deps/deps-migration.js';

/** The serve component's migrations for `s` (a checked schema name). */
export function serveMigrations(s: string): MigrationSet {
  return {
    component: 'serve',
    migrations: [
      {
        summary: 'states, state_versions, state_instances, instance_dependencies, state_outputs',
        up: `CREATE TABLE ${s}.states (
               guid            uuid        PRIMARY KEY,
               logic_id        text        NOT NULL UNIQUE,
               created_at      timestamptz NOT NULL DEFAULT now(),
               current_version bigint      NOT NULL DEFAULT 0,
               lineage         text
             );
             CREATE TABLE ${s}.state_versions (
               state_guid        uuid        NOT NULL REFERENCES ${s}.states (guid) ON DELETE CASCADE,
               version           bigint      NOT NULL,
               serial            bigint      NOT NULL,
               lineage           text        NOT NULL,
               terraform_version text        NOT NULL,
               format_version    int         NOT NULL,
               extra             jsonb       NOT NULL DEFAULT '{}',
               size_bytes        bigint      NOT NULL,
               instance_count    bigint      NOT NULL,
               lock_id           uuid,
               who               text,
               source            text        NOT NULL,
               source_version    bigint,
               created_at        timestamptz NOT NULL DEFAULT now(),
               PRIMARY KEY (state_guid, version)
             );
             CREATE TABLE ${s}.state_instances (
               id               bigserial   PRIMARY KEY,
               state_guid       uuid        NOT NULL REFERENCES ${s}.states (guid) ON DELETE CASCADE,
               from_version     bigint      NOT NULL,
               to_version       bigint,
               k                text        COLLATE "C" NOT NULL,
               content_hash     bytea       NOT NULL,
               module           text        COLLATE "C" NOT NULL,
               mode             text        COLLATE "C" NOT NULL,
               type             text        COLLATE "C" NOT NULL,
               name             text        COLLATE "C" NOT NULL,
               each             text,
               provider         text        NOT NULL,
               resource_extra   jsonb,
               key_kind         smallint    NOT NULL,
               key_int          bigint,
               key_str          text        COLLATE "C",
               deposed          text        COLLATE "C" NOT NULL DEFAULT '',
               instance         jsonb,
               has_dependencies boolean     NOT NULL DEFAULT false
             );
             CREATE INDEX state_instances_current ON ${s}.state_instances (state_guid, k) WHERE to_version IS NULL;
             CREATE INDEX state_instances_history ON ${s}.state_instances (state_guid, from_version);
             CREATE TABLE ${s}.instance_dependencies (
               instance_id bigint NOT NULL REFERENCES ${s}.state_instances (id) ON DELETE CASCADE,
               ordinal     int    NOT NULL,
               depends_on  text   NOT NULL,
               PRIMARY KEY (instance_id, ordinal)
             );
             CREATE TABLE ${s}.state_outputs (
               id           bigserial PRIMARY KEY,
               state_guid   uuid      NOT NULL REFERENCES ${s}.states (guid) ON DELETE CASCADE,
               from_version bigint    NOT NULL,
               to_version   bigint,
               name         text      COLLATE "C" NOT NULL,
               content_hash bytea     NOT NULL,
               output       jsonb     NOT NULL
             );
             CREATE INDEX state_outputs_current ON ${s}.state_outputs (state_guid, name) WHERE to_version IS NULL;`,
        down: `DROP TABLE ${s}.state_outputs; DROP TABLE ${s}.instance_dependencies; DROP TABLE ${s}.state_instances;
               DROP TABLE ${s}.state_versions; DROP TABLE ${s}.states;`,
      },
      {
        summary: 'lock_state(): a whole-state lock as the root row of resource_locks',
        // The root path '' contains every address: this exclusive root intention lock serialises with every
        // resource acquisition (they take it shared), and a live row anywhere in the namespace refuses the grant.
        up: `CREATE FUNCTION ${s}.lock_state(p_ns text, p_id uuid, p_info jsonb, p_lease_ms double precision)
               RETURNS TABLE (granted boolean, held_lock_id uuid, held_info jsonb, held_expires timestamptz)
               LANGUAGE plpgsql AS $fn$
             DECLARE
               v_expires timestamptz := now() + p_lease_ms * interval '1 millisecond';
             BEGIN
               IF current_setting('transaction_isolation') <> 'read committed' THEN
                 RAISE EXCEPTION 'velocity locks need READ COMMITTED, not %', current_setting('transaction_isolation') USING ERRCODE = 'VL002';
               END IF;
               PERFORM pg_advisory_xact_lock(hashtextextended('${s}' || chr(31) || p_ns || chr(31) || '', 0));
               RETURN QUERY SELECT false, r.lock_id, r.info, r.expires_at FROM ${s}.resource_locks r
                 WHERE r.namespace = p_ns AND r.lock_id <> p_id AND r.expires_at > now()
                 ORDER BY (r.path = '') DESC, r.acquired_at LIMIT 1;
               IF FOUND THEN
                 RETURN;
               END IF;
               DELETE FROM ${s}.resource_locks r WHERE r.namespace = p_ns AND r.lock_id <> p_id AND r.expires_at <= now();
               INSERT INTO ${s}.resource_locks AS l (namespace, address, path, lock_id, info, acquired_at, expires_at)
               VALUES (p_ns, '*', '', p_id, p_info, now(), v_expires)
               ON CONFLICT (namespace, address) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE l.lock_id = p_id;
               RETURN QUERY SELECT true, p_id, p_info, v_expires;
             END
             $fn$;`,
        down: `DROP FUNCTION ${s}.lock_state(text, uuid, jsonb, double precision);`,
      },
      {
        summary: 'indexes of the rows a version closed, for subgraph writes (what changed since a base version)',
        // A subgraph write reads only the rows opened or closed after its base version: by these and the
        // from_version index, O(rows changed since the base), never a scan of the state.
        up: `CREATE INDEX state_instances_closed ON ${s}.state_instances (state_guid, to_version) WHERE to_version IS NOT NULL;
             CREATE INDEX state_outputs_history ON ${s}.state_outputs (state_guid, from_version);
             CREATE INDEX state_outputs_closed ON ${s}.state_outputs (state_guid, to_version) WHERE to_version IS NOT NULL;`,
        down: `DROP INDEX ${s}.state_outputs_closed; DROP INDEX ${s}.state_outputs_history; DROP INDEX ${s}.state_instances_closed;`,
      },
      depsMigration(s),
      depsLockReadsMigration(s),
    ],
  };
}
