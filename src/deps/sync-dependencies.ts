// `deps sync`: the consumer's `velocity_dependencies.tf`, between begin/end markers: one `terraform_remote_state`
// per producer (the backend `backendOf` gives: for local states producerBackend, their backend as `init` recorded it
// or their local state file; for states on a velocity server its http address) and one `locals` entry per edge; an
// edge whose output is missing is left out with a comment (or given its mock value).
// Guarantees: deterministic text; a second run with the same graph writes nothing; text outside the markers is kept.

import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { readTextIfPresent } from '../json-file.js';
import { writeFile } from 'node:fs/promises';
import type { DepsGraph } from './deps-graph.js';
import { slugOf } from './deps-graph.js';
import { DepsFileError } from './deps-errors.js';

export const SYNC_FILE = 'velocity_dependencies.tf';
const BEGIN = '# BEGIN velocity dependencies: written by `velocity deps sync`; edits between these markers are replaced';
const END = '# END velocity dependencies';

const SECRET = /password|secret|token|access_key|private_key|credentials|sas_|client_certificate|client_private/i;

/** A producer's backend, as the consumer's `terraform_remote_state` names it. */
export interface RemoteBackend {
  readonly backend: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/**
 * The backend of the producer workspace `dir` seen from the consumer `consumerDir`: what `init` recorded in
 * `.terraform/terraform.tfstate` (null settings dropped), else its local `terraform.tfstate` by relative path. O(1).
 */
export function producerBackend(dir: string, consumerDir: string): RemoteBackend {
  const recorded = join(dir, '.terraform', 'terraform.tfstate');
  if (existsSync(recorded)) {
    try {
      const b = (JSON.parse(readFileSync(recorded, 'utf8')) as { backend?: { type?: unknown; config?: Record<string, unknown> } }).backend;
      if (typeof b?.type === 'string') {
        // NOTE: credentials are never copied into the consumer's configuration: the remote state reads them from the
        // environment (TF_HTTP_PASSWORD, AWS_*, ...) exactly as the producer's backend does.
        const config = Object.fromEntries(Object.entries(b.config ?? {}).filter(([k, v]) => v !== null && v !== '' && !SECRET.test(k)).sort(([a], [c]) => (a < c ? -1 : 1)));
        if (b.type !== 'local') return { backend: b.type, config };
        const path = typeof config['path'] === 'string' ? join(dir, config['path']) : join(dir, 'terraform.tfstate');
        return { backend: 'local', config: { path: relative(consumerDir, path).split(sep).join('/') } };
      }
    } catch {
      // an unreadable record: fall through to the default local state
    }
  }
  return { backend: 'local', config: { path: relative(consumerDir, join(dir, 'terraform.tfstate')).split(sep).join('/') } };
}

/** An HCL expression for a JSON value: JSON is HCL's literal syntax once template introducers are escaped. */
function hclLiteral(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

/** Where a producer state is read from: its backend as the consumer's `terraform_remote_state` names it. */
export type BackendOf = (producer: string) => RemoteBackend;

/**
 * The managed block of `consumer`, each producer read through `backendOf(producer)` (called once per producer,
 * in name order). O(edges).
 */
export function dependenciesBlock(graph: DepsGraph, consumer: string, backendOf: BackendOf): string {
  const edges = graph.edges().filter((e) => e.consumer === consumer);
  const producers = [...new Set(edges.map((e) => e.producer))].sort();
  // One data source per producer; slugs made unique in name order.
  const label = new Map<string, string>();
  const used = new Set<string>();
  for (const p of producers) {
    let l = slugOf(p);
    for (let n = 2; used.has(l); n++) l = `${slugOf(p)}_${n}`;
    used.add(l);
    label.set(p, l);
  }
  const lines = [BEGIN];
  for (const p of producers) {
    const b = backendOf(p);
    lines.push(`data "terraform_remote_state" "${label.get(p)}" {`, `  # state ${JSON.stringify(p)}`, `  backend = ${JSON.stringify(b.backend)}`, '  config = {');
    for (const [k, v] of Object.entries(b.config)) lines.push(`    ${k} = ${hclLiteral(v)}`);
    lines.push('  }', '}', '');
  }
  lines.push('locals {');
  for (const e of [...edges].sort((a, b) => (a.input < b.input ? -1 : 1))) {
    if (graph.edgeStatus(e) === 'missing-output') {
      if (e.mock !== undefined) lines.push(`  # ${e.producer} has no output ${e.output} yet: its mock value`, `  ${e.input} = ${hclLiteral(e.mock)}`);
      else lines.push(`  # ${e.input}: left out, ${e.producer} has no output ${e.output} (missing-output)`);
    } else lines.push(`  ${e.input} = data.terraform_remote_state.${label.get(e.producer)}.outputs.${e.output}`);
  }
  lines.push('}', END);
  return `${lines.join('\n')}\n`;
}

/**
 * Writes the managed block (dependenciesBlock) into `<consumerDir>/velocity_dependencies.tf`, replacing the block
 * between the markers (or appending it) and keeping everything else. O(file). Returns whether the file changed.
 * @throws DepsFileError when the file has a begin marker without an end marker
 */
export async function syncDependencies(graph: DepsGraph, consumer: string, consumerDir: string, backendOf: BackendOf): Promise<{ file: string; changed: boolean }> {
  const file = join(consumerDir, SYNC_FILE);
  const block = dependenciesBlock(graph, consumer, backendOf);
  const old = (await readTextIfPresent(file)) ?? '';
  const b = old.indexOf(BEGIN);
  const e = old.indexOf(END, b < 0 ? 0 : b);
  let next: string;
  if (b < 0) next = old === '' ? block : `${old.replace(/\n*$/, '\n\n')}${block}`;
  else if (e < 0) throw new DepsFileError(file, 'has the begin marker of the managed block but not its end marker; fix the file by hand');
  else next = `${old.slice(0, b)}${block}${old.slice(e + END.length).replace(/^\n/, '')}`;
  if (next === old) return { file, changed: false };
  await writeFile(file, next);
  return { file, changed: true };
}
