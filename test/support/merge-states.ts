// Test support for the sub-state merge: random (real state, sub-state, ownership) triples whose names hold the
// characters that break naive splicers, real states laid out several ways (Terraform's 2 spaces, CRLF, tabs, one
// line) with the exact text of each entry and output recorded, and the naive JSON-level merge to compare against.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { compareEntryKeys, type ResourceEntryKey, type SubStateOwnership } from '../../src/inject/sub-workspace-manifest.js';
import { awkwardString } from './random-graph.js';

export type Layout = 'terraform' | 'crlf' | 'tabs' | 'compact';

export interface Entry {
  module?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  provider: string;
  instances: Record<string, unknown>[];
}

export interface StateDoc {
  version: 4;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<string, { value: unknown; type: unknown; sensitive?: boolean }>;
  resources: Entry[];
  check_results: unknown;
}

export const keyOf = (e: Entry): ResourceEntryKey => ({ module: e.module ?? '', mode: e.mode, type: e.type, name: e.name });
export const idOf = (k: ResourceEntryKey): string => JSON.stringify([k.module, k.mode, k.type, k.name]);

/** A state's text in `layout`, with the exact text of each resources[] entry and each output member (`"name": value`). */
export function layOut(doc: StateDoc, layout: Layout): { text: string; entries: string[]; outputs: string[] } {
  const indent = layout === 'tabs' ? '\t' : layout === 'compact' ? '' : '  ';
  const nl = layout === 'crlf' ? '\r\n' : layout === 'compact' ? '' : '\n';
  const colon = layout === 'compact' ? ':' : ': ';
  const at = (depth: number): string => indent.repeat(depth);
  // JSON.stringify's layout re-indented to `depth`, with this layout's line ends.
  const value = (v: unknown, depth: number): string =>
    (layout === 'compact' ? JSON.stringify(v) : JSON.stringify(v, null, indent)).split('\n').join(nl + at(depth));
  const outputs = Object.keys(doc.outputs).sort().map((k) => `${JSON.stringify(k)}${colon}${value(doc.outputs[k], 2)}`);
  const entries = doc.resources.map((e) => value(e, 2));
  const list = (items: string[], open: string, close: string): string =>
    items.length === 0 ? `${open}${close}` : `${open}${nl}${items.map((s) => at(2) + s).join(`,${nl}`)}${nl}${at(1)}${close}`;
  const members = [
    `"version"${colon}4`,
    `"terraform_version"${colon}${JSON.stringify(doc.terraform_version)}`,
    `"serial"${colon}${doc.serial}`,
    `"lineage"${colon}${JSON.stringify(doc.lineage)}`,
    `"outputs"${colon}${list(outputs, '{', '}')}`,
    `"resources"${colon}${list(entries, '[', ']')}`,
    `"check_results"${colon}${value(doc.check_results, 1)}`,
  ];
  return { text: `{${nl}${members.map((m) => at(1) + m).join(`,${nl}`)}${nl}}${nl}`, entries, outputs };
}

/** Terraform's own layout (what a sub-workspace's terraform writes). */
export const terraformText = (doc: StateDoc): string => `${JSON.stringify(doc, null, 2)}\n`;

/** The merge computed naively on parsed JSON: what mergeSubState's output must parse to. */
export function naiveMerge(real: StateDoc, sub: StateDoc, owned: SubStateOwnership, serial: number): StateDoc {
  const replaced = new Set([...owned.resources.map(idOf), ...sub.resources.map((e) => idOf(keyOf(e)))]);
  const resources = [...real.resources.filter((e) => !replaced.has(idOf(keyOf(e)))), ...sub.resources].sort((a, b) => compareEntryKeys(keyOf(a), keyOf(b)));
  const outputs = { ...real.outputs };
  for (const name of [...owned.outputs, ...Object.keys(sub.outputs)]) delete outputs[name];
  Object.assign(outputs, sub.outputs);
  return { ...real, serial, outputs, resources };
}

const key: fc.Arbitrary<ResourceEntryKey> = fc.record({
  module: fc.oneof(fc.constant(''), awkwardString.map((s) => `module.m["${s}"]`), fc.constant('module.a'), fc.constant('module.b')),
  mode: fc.constantFrom<'managed' | 'data'>('managed', 'data'),
  type: fc.oneof(fc.constantFrom('terraform_data', 'null_resource', 'aws_x'), awkwardString),
  name: awkwardString,
});

const attributeValue = fc.oneof(awkwardString, fc.integer(), fc.boolean(), fc.constant(null), fc.array(awkwardString, { maxLength: 3 }), fc.dictionary(awkwardString, awkwardString, { maxKeys: 3 }));

const instances = fc.array(
  fc.record({
    index_key: fc.oneof(fc.constant(undefined), fc.nat(50), awkwardString),
    schema_version: fc.constant(0),
    attributes: fc.dictionary(awkwardString, attributeValue, { maxKeys: 4 }),
    sensitive_attributes: fc.constant([]),
    dependencies: fc.array(awkwardString, { maxLength: 2 }),
  }).map((i) => {
    const { index_key, ...rest } = i;
    return index_key === undefined ? rest : { index_key, ...rest };
  }),
  { maxLength: 3 },
);

const entryAt = (k: ResourceEntryKey): fc.Arbitrary<Entry> =>
  instances.map((inst) => ({ ...(k.module !== '' ? { module: k.module } : {}), mode: k.mode, type: k.type, name: k.name, provider: 'provider["registry.terraform.io/hashicorp/x"]', instances: inst }));

const output = fc.record({ value: attributeValue, type: fc.constant('string') });

export interface MergeCase {
  real: StateDoc;
  sub: StateDoc;
  owned: SubStateOwnership;
  layout: Layout;
}

export function sortedDoc(resources: Entry[], outputs: StateDoc['outputs'], serial: number, lineage: string): StateDoc {
  return {
    version: 4, terraform_version: '1.11.4', serial, lineage, outputs,
    resources: [...resources].sort((a, b) => compareEntryKeys(keyOf(a), keyOf(b))), check_results: null,
  };
}

/** A real state, a sub-state and an ownership without conflicts: every sub entry/output the real has is owned. */
export const mergeCase: fc.Arbitrary<MergeCase> = fc
  .record({
    keys: fc.uniqueArray(key, { selector: idOf, maxLength: 14 }),
    outputNames: fc.uniqueArray(awkwardString, { maxLength: 6 }),
    // Per key: 0 real only, 1 real and owned (sub has it), 2 real and owned (sub removed it), 3 sub only (new), 4 owned, in neither.
    roles: fc.array(fc.nat(4), { minLength: 14, maxLength: 14 }),
    outputRoles: fc.array(fc.nat(4), { minLength: 6, maxLength: 6 }),
    layout: fc.constantFrom<Layout>('terraform', 'crlf', 'tabs', 'compact'),
    serial: fc.nat(1000),
  })
  .chain(({ keys, outputNames, roles, outputRoles, layout, serial }) => {
    const role = (n: number): number => roles[n] as number;
    const inReal = keys.filter((_, n) => role(n) <= 2);
    const inSub = keys.filter((_, n) => role(n) === 1 || role(n) === 3);
    const owned = keys.filter((_, n) => role(n) >= 1 && role(n) !== 3 ? true : role(n) === 3 && n % 2 === 0);
    const oRole = (n: number): number => outputRoles[n] as number;
    return fc.record({
      realEntries: fc.tuple(...inReal.map(entryAt)),
      subEntries: fc.tuple(...inSub.map(entryAt)),
      realOutputs: fc.tuple(...outputNames.filter((_, n) => oRole(n) <= 2).map((name) => output.map((o) => [name, o] as const))),
      subOutputs: fc.tuple(...outputNames.filter((_, n) => oRole(n) === 1 || oRole(n) === 3).map((name) => output.map((o) => [name, o] as const))),
    }).map(({ realEntries, subEntries, realOutputs, subOutputs }) => ({
      real: sortedDoc(realEntries, Object.fromEntries(realOutputs), serial, 'lineage-"é"'),
      sub: sortedDoc(subEntries, Object.fromEntries(subOutputs), serial + 3, 'other-lineage'),
      owned: {
        resources: owned,
        outputs: outputNames.filter((_, n) => (oRole(n) >= 1 && oRole(n) !== 3) || (oRole(n) === 3 && n % 2 === 0)),
      },
      layout,
    }));
  });

/** A terraform_data-like entry with the given instance ids (none: an entry with empty instances). */
export function entry(name: string, ids: readonly string[], o: { module?: string; mode?: 'managed' | 'data'; type?: string } = {}): Entry {
  return {
    ...(o.module !== undefined && o.module !== '' ? { module: o.module } : {}),
    mode: o.mode ?? 'managed', type: o.type ?? 'terraform_data', name, provider: 'provider["terraform.io/builtin/terraform"]',
    instances: ids.map((id) => ({ schema_version: 0, attributes: { id, input: null, output: null, triggers_replace: null }, sensitive_attributes: [] })),
  };
}

/** A state document (resources sorted as Terraform sorts them). */
export function stateDoc(resources: Entry[], outputs: StateDoc['outputs'] = {}, meta: { serial?: number; lineage?: string; terraformVersion?: string } = {}): StateDoc {
  return sortedDoc(resources, outputs, meta.serial ?? 7, meta.lineage ?? '4a1c1d2e-0000-4000-8000-000000000001');
}

/** Writes the real state (in `layout`) and the sub-state (Terraform's layout) into `dir`; their paths. */
export function writeStates(dir: string, real: StateDoc, sub: StateDoc, layout: Layout = 'terraform'): { real: string; sub: string; out: string } {
  const paths = { real: join(dir, 'real.tfstate'), sub: join(dir, 'sub.tfstate'), out: join(dir, 'out.tfstate') };
  writeFileSync(paths.real, layout === 'terraform' ? terraformText(real) : layOut(real, layout).text);
  writeFileSync(paths.sub, terraformText(sub));
  return paths;
}
