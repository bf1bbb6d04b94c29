// Gives the instances of an applied sub-workspace state the dependencies Terraform could not record there: a
// resource the sub-workspace served as a literal is no reference in its configuration, so the instances reading it
// were written without that dependency. Guarantees: dependencies only added (sorted, unique), nothing else changed.

import { readFile, writeFile } from 'node:fs/promises';
import { parseModulePath, resourceLocalName } from '../state/address.js';

interface SubEntry {
  module?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  instances?: { dependencies?: string[] }[];
}

/**
 * Writes `out`: the state `from` with `dependencies[block]` added to the instances of each block (keyed as a state's
 * `dependencies` names blocks: module call names without keys), and to every instance that records such a block as a
 * dependency (Terraform records transitive dependencies: what reads a kept block also depends on what that block
 * reads through literals). Returns false (and writes nothing) when nothing is added. O(sub-state × added).
 */
export async function restoreDependencies(from: string, out: string, dependencies: Readonly<Record<string, readonly string[]>>): Promise<boolean> {
  if (Object.keys(dependencies).length === 0) return false;
  const closure = transitive(dependencies);
  const doc = JSON.parse(await readFile(from, 'utf8')) as { resources?: SubEntry[] };
  let added = false;
  for (const e of doc.resources ?? []) {
    const module = e.module === undefined || e.module === '' ? '' : parseModulePath(e.module).map((s) => `module.${s.name}.`).join('');
    const own = closure.get(`${module}${resourceLocalName(e)}`);
    for (const inst of e.instances ?? []) {
      const now = new Set(inst.dependencies ?? []);
      const before = now.size;
      for (const d of own ?? []) now.add(d);
      for (const d of inst.dependencies ?? []) for (const x of closure.get(d) ?? []) now.add(x);
      if (now.size === before) continue;
      inst.dependencies = [...now].sort();
      added = true;
    }
  }
  if (!added) return false;
  await writeFile(out, `${JSON.stringify(doc, null, 2)}\n`);
  return true;
}

/** Each block's added dependencies with those of the added blocks that have some of their own. O(blocks × added). */
function transitive(dependencies: Readonly<Record<string, readonly string[]>>): Map<string, ReadonlySet<string>> {
  const out = new Map<string, ReadonlySet<string>>();
  for (const start of Object.keys(dependencies)) {
    const all = new Set<string>();
    const todo = [start];
    for (let block = todo.pop(); block !== undefined; block = todo.pop())
      for (const d of dependencies[block] ?? []) if (!all.has(d)) {
        all.add(d);
        todo.push(d);
      }
    all.delete(start);
    out.set(start, all);
  }
  return out;
}
