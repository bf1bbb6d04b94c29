// Test support: the instances downstream of a set (what depends on them, transitively), resolved from the
// state's `dependencies` module-instance-aware as DESIGN.md specifies. Used to check that a probe's changes
// lie inside what velocity would plan (changed set plus blast radius), independently of the engine's code.

import type { LoadedState } from '../../src/state/instance-record.js';
import { formatKey, parseModulePath, type ModuleStep } from '../../src/state/address.js';

interface Inst {
  address: string;
  block: string;
  module: ModuleStep[];
  deps: readonly string[];
}

function blockOf(module: readonly ModuleStep[], local: string): string {
  return `${module.map((s) => `module.${s.name}.`).join('')}${local}`;
}

/** Instance addresses downstream of `seeds` (seeds excluded unless downstream of another seed). O(N² ) worst case: tests only. */
export function downstreamClosure(state: LoadedState, seeds: readonly string[]): Set<string> {
  const all: Inst[] = state.instances.map((r) => {
    const module = parseModulePath(r.module);
    const local = `${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}`;
    return {
      address: `${r.module === '' ? '' : `${r.module}.`}${local}${r.indexKey === null ? '' : formatKey(r.indexKey)}`,
      block: blockOf(module, local),
      module,
      deps: r.dependencies,
    };
  });
  const byAddress = new Map(all.map((i) => [i.address, i]));
  const dependsOn = (y: Inst, x: Inst): boolean => {
    if (!y.deps.includes(x.block)) return false;
    for (let i = 0; i < Math.min(x.module.length, y.module.length); i++) {
      const a = x.module[i] as ModuleStep;
      const b = y.module[i] as ModuleStep;
      if (a.name !== b.name) break;
      if (a.key !== b.key) return false;
    }
    return true;
  };
  const out = new Set<string>();
  const queue = seeds.map((s) => byAddress.get(s)).filter((x): x is Inst => x !== undefined);
  for (let q = 0; q < queue.length && q < 1_000_000; q++) {
    const x = queue[q] as Inst;
    for (const y of all) if (!out.has(y.address) && dependsOn(y, x)) {
      out.add(y.address);
      queue.push(y);
    }
  }
  return out;
}
