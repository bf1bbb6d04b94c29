// Every real state in ../shared/fixtures loads, or fails with its typed error. The directory is enumerated, so a
// new fixture is covered automatically: a v4 state must load; anything else must be listed here with its code.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadState } from '../../src/state/load-state.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { describeWithFixtures } from '../support/fixtures.js';
import { realStatesDir } from '../support/paths.js';

/** Fixtures that are not readable v4 states, and the code each must give. */
const expectedErrors: Record<string, string> = {
  'AlexsLemonade__refinebio__infrastructure__terraform.tfstate': 'STATE_ENCRYPTED', // git-crypt
  'GoogleCloudPlatform__terraformer__waze-import__imported__infra__gcp__waze-development__dns__global__terraform.tfstate': 'STATE_VERSION_TOO_OLD',
  'GoogleCloudPlatform__terraformer__waze-import__imported__infra__gcp__waze-development__monitoring__global__terraform.tfstate': 'STATE_VERSION_TOO_OLD',
  'fujiwara__tfstate-lookup__tfstate__roundtrip__v3-grabbag.in.tfstate': 'STATE_VERSION_TOO_OLD',
  'hashicorp-publicsector__blog-dynamic-saas-cluster-aws-vault__iam__terraform.tfstate': 'STATE_VERSION_TOO_OLD',
  'opentofu__opentofu__internal__command__testdata__show-corrupt-statefile__terraform.tfstate': 'STATE_NOT_JSON',
  'snyk__driftctl__pkg__iac__terraform__state__testdata__v4__invalid.tfstate': 'STATE_NOT_JSON',
};

/** Instances counted independently of velocity: distinct (module, mode, type, name, index_key) among objects. */
function countInstances(text: string): number {
  const doc = JSON.parse(text) as { resources?: { module?: string; mode: string; type: string; name: string; instances: { index_key?: unknown }[] }[] };
  const seen = new Set<string>();
  for (const r of doc.resources ?? []) for (const i of r.instances) seen.add(JSON.stringify([r.module ?? '', r.mode, r.type, r.name, i.index_key ?? null]));
  return seen.size;
}

describeWithFixtures('real state fixtures', () => {
  const files = readdirSync(realStatesDir).sort();

  it('finds the fixtures directory', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  for (const file of files) {
    const path = join(realStatesDir, file);
    const code = expectedErrors[file];
    if (code) {
      it(`${file} fails with ${code}`, async () => {
        await expect(loadState(path)).rejects.toMatchObject({ code });
      });
    } else {
      it(`${file} loads with every instance and builds an acyclic graph`, async () => {
        const state = await loadState(path);
        expect(state.meta.version).toBe(4);
        expect(state.instances.length).toBe(countInstances(readFileSync(path, 'utf8')));
        const graph = StateGraph.fromState(state);
        expect(graph.size).toBe(state.instances.length);
        expect(new Set(graph.addresses()).size).toBe(graph.size);
      });
    }
  }
});
