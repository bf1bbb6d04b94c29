// `deps discover`: the edges a consumer's configuration implies: each root-module `terraform_remote_state` data source
// whose producer the locator finds (local states: a `local` backend's `path`; a velocity server's states: an `http`
// address on it), and each `data.terraform_remote_state.X.outputs.NAME` (or `outputs["NAME"]`) its expressions read.
// Guarantees: never invents a producer; what it cannot follow (another backend, a computed path, a read of the whole
// `outputs` map) is a warning, sorted; edges sorted.

import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseHcl } from '../config/hcl-parser.js';

export interface DiscoveredEdge {
  readonly producer: string;
  readonly output: string;
  readonly consumer: string;
}

/** A `terraform_remote_state` data source as the configuration gives it. */
export interface RemoteStateSource {
  readonly backend?: unknown;
  readonly config?: unknown;
}

/**
 * The producer state a consumer's data source `label` reads: `{producer}` (plus a warning to show, if any), or
 * `{warning}` when it cannot be located.
 */
export type LocateProducer = (source: RemoteStateSource, consumer: { readonly state: string; readonly dir: string; readonly label: string }) => { readonly producer?: string; readonly warning?: string };

/** The locator of local states: a `local` backend's literal `path`; `nameOf(dir)` names the producer's directory. O(1). */
export function locateLocalProducer(nameOf: (dir: string) => string): LocateProducer {
  return (body, { state, dir, label }) => {
    const path = (body.config as Record<string, unknown> | undefined)?.['path'];
    if (body.backend !== 'local' || typeof path !== 'string' || path.includes('${')) return { warning: cannotLocate(state, label, body) };
    const stateFile = resolve(dir, path);
    const producer = nameOf(dirname(stateFile));
    if (basename(stateFile) === 'terraform.tfstate') return { producer };
    return { producer, warning: `${state}: data.terraform_remote_state.${label} reads ${path}, not a workspace's terraform.tfstate; its directory is taken as the producer` };
  };
}

/** The warning for a data source no locator follows. */
export function cannotLocate(state: string, label: string, body: RemoteStateSource): string {
  return `${state}: data.terraform_remote_state.${label} (backend ${JSON.stringify(body.backend)}) cannot be located here; declare its edges with \`velocity deps add\``;
}

const REF = /data\.terraform_remote_state\.([A-Za-z_][A-Za-z0-9_-]*)\.outputs(?:\.([A-Za-z_][A-Za-z0-9_-]*)|\[\s*\\?"((?:[^"\\]|\\.)*?)\\?"\s*\])?/g;

function strings(v: unknown, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
}

/**
 * Edges into each consumer `{state, dir}`; `locate` finds each data source's producer (locateLocalProducer for local
 * states). O(configuration text of the root modules).
 * @throws ConfigParseError when a file does not parse
 */
export async function discoverDependencies(consumers: readonly { readonly state: string; readonly dir: string }[], locate: LocateProducer): Promise<{ edges: DiscoveredEdge[]; warnings: string[] }> {
  const edges = new Map<string, DiscoveredEdge>();
  const warnings = new Set<string>();
  for (const { state, dir } of consumers) {
    const files = (await readdir(dir)).filter((n) => n.endsWith('.tf') || n.endsWith('.tf.json')).sort();
    const sources = new Map<string, RemoteStateSource>();
    const texts: string[] = [];
    for (const f of files) {
      const text = await readFile(join(dir, f), 'utf8');
      const doc = f.endsWith('.json') ? (JSON.parse(text) as Record<string, unknown>) : await parseHcl(f, text);
      const rs = ((doc['data'] as Record<string, unknown> | undefined)?.['terraform_remote_state'] ?? {}) as Record<string, RemoteStateSource | RemoteStateSource[]>;
      for (const [label, body] of Object.entries(rs)) sources.set(label, (Array.isArray(body) ? body[0] : body) ?? {});
      strings(doc, texts);
    }
    const producerOf = new Map<string, string | undefined>();
    for (const [label, body] of sources) {
      const found = locate(body, { state, dir, label });
      producerOf.set(label, found.producer);
      if (found.warning !== undefined) warnings.add(found.warning);
    }
    for (const t of texts) {
      for (const m of t.matchAll(REF)) {
        const label = m[1] as string;
        const output = m[2] ?? m[3];
        if (!producerOf.has(label)) continue; // not a data source of this module
        const producer = producerOf.get(label);
        if (producer === undefined) continue;
        if (output === undefined) {
          warnings.add(`${state}: reads the whole outputs of data.terraform_remote_state.${label}; declare the outputs it uses with \`velocity deps add\``);
          continue;
        }
        const e = { producer, output, consumer: state };
        edges.set(JSON.stringify([producer, output, state]), e);
      }
    }
  }
  return { edges: [...edges.keys()].sort().map((k) => edges.get(k) as DiscoveredEdge), warnings: [...warnings].sort() };
}
