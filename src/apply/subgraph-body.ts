// The body of a subgraph write to a velocity server (`POST /tfstate/{guid}/subgraph`) for an applied sub-state:
// the owned resources[] entries and root outputs taken as raw bytes from the sub-state file (numbers keep their text),
// the ownership, the base serial and the out-of-cone addresses the plan read. Guarantees: what the server replaces is
// exactly what the local merge (mergeSubState) would replace: owned entries, plus entries and instance keys the
// apply created (owned from now on), sorted as Terraform sorts them.

import { readFileSync } from 'node:fs';
import { readSubState } from '../inject/merge-sub-state.js';
import { compareEntryKeys, type ResourceEntryKey, type SubStateOwnership } from '../inject/sub-workspace-manifest.js';

export interface SubgraphBodyOptions {
  /** The real state's lineage and the serial the plan read. */
  readonly lineage: string;
  readonly baseSerial: number;
  /** Out-of-cone addresses the plan read as literals (the scope's static set). */
  readonly read: readonly string[];
  /** Checks only, nothing written (before the apply). */
  readonly checkOnly: boolean;
}

/** The body and the ownership it states. */
export interface SubgraphBody {
  readonly text: string;
  readonly owned: SubStateOwnership;
}

const entryId = (k: ResourceEntryKey): string => JSON.stringify([k.module, k.mode, k.type, k.name]);

/**
 * Builds the subgraph write for `subState` (a v4 state, small: the cone) owning `owned`. O(sub-state).
 * @throws StateParseError, UnsupportedStateVersionError, SourceReadError (the sub-state is unreadable)
 */
export function subgraphBody(subState: string, owned: SubStateOwnership, o: SubgraphBodyOptions): SubgraphBody {
  const sub = readSubState(subState);
  type Entry = { module?: string; mode: 'managed' | 'data'; type: string; name: string; instances?: { index_key?: unknown }[] };
  const doc = JSON.parse(readFileSync(subState, 'utf8')) as { terraform_version?: unknown; resources?: Entry[] };
  const parsed = new Map((doc.resources ?? []).map((r) => [entryId({ module: r.module ?? '', mode: r.mode, type: r.type, name: r.name }), r]));
  const byId = new Map(owned.resources.map((r) => [entryId(r), r]));
  const resources: ResourceEntryKey[] = [];
  const raws: string[] = [];
  sub.entries.forEach((e) => {
    const key = e.key as ResourceEntryKey;
    const own = byId.get(e.id);
    if (own !== undefined && own.keys !== undefined) {
      // Instance keys the apply created are owned too (as the local merge adds them).
      const created = (parsed.get(e.id)?.instances ?? []).map((i) => i.index_key).filter((k): k is string | number => typeof k === 'string' || typeof k === 'number');
      const keys = [...new Map([...own.keys, ...created].map((k) => [JSON.stringify(k), k])).values()];
      byId.set(e.id, { ...own, keys });
    } else if (own === undefined) byId.set(e.id, key); // an entry the apply created
    raws.push(e.raw.toString('utf8'));
  });
  for (const r of byId.values()) resources.push(r);
  resources.sort(compareEntryKeys);
  const outputs = new Set(owned.outputs);
  const outs = sub.outputs.filter((p) => outputs.has(p.id)).map((p) => p.raw.toString('utf8'));
  const terraformVersion = typeof doc.terraform_version === 'string' ? doc.terraform_version : '';
  const ownedNow: SubStateOwnership = { resources, outputs: [...outputs].sort() };
  const text =
    `{"lineage":${JSON.stringify(o.lineage)},"base_serial":${o.baseSerial},"terraform_version":${JSON.stringify(terraformVersion)},` +
    `"owned":${JSON.stringify(ownedNow)},"resources":[${raws.join(',')}],"outputs":{${outs.join(',')}},` +
    `"read":${JSON.stringify([...o.read].sort())},"check_only":${o.checkOnly}}`;
  return { text, owned: ownedNow };
}
