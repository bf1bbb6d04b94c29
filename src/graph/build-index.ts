// Builds the ResourceIndex from loaded instance records: canonical addresses and dependency edges resolved
// module-instance-aware (DESIGN.md, Semantics). Guarantees: sound (never drops a real dependency), dangling
// references become warnings, never failures; output is independent of Map iteration order.

import { formatKey, formatModulePath, parseModulePath, parseResourceAddress, type ModuleStep, type ResourceAddress } from '../state/address.js';
import type { IndexKey, InstanceRecord, LoadedState } from '../state/instance-record.js';
import { ResourceIndex, toCsr } from './resource-index.js';

/** A module instance path, parsed once per distinct `module` string of the state. */
interface ModuleInfo {
  readonly canonical: string;
  readonly names: readonly string[];
  /** Encoded instance key per step ('' when the step has none), comparable with ===. */
  readonly keys: readonly string[];
}

const encodeKey = (k: IndexKey | undefined | null): string => (k === undefined || k === null ? '' : typeof k === 'number' ? `#${k}` : `$${k}`);
const configKeyOf = (names: readonly string[], mode: string, type: string, name: string) => `${names.join('.')} ${mode} ${type} ${name}`;

export interface BuildIndexResult {
  readonly index: ResourceIndex;
  /** Sorted, de-duplicated: dependencies naming nothing in the state, unparseable dependency strings. */
  readonly warnings: readonly string[];
}

/**
 * Resolves every instance's recorded dependencies to instance ids and builds the CSR index.
 * A dependency `module.a.module.b.T.N` of an instance in module path P resolves to the instances of T.N whose
 * module instance keys equal P's keys on the longest common prefix of module call names; inside that scope a
 * resource-level reference covers every instance.
 * Complexity: O(n + m + Σ distinct (module instance, dependency) pairs); memory O(n + m).
 */
export function buildIndex(state: LoadedState): BuildIndexResult {
  const records = state.instances;
  const n = records.length;
  const modules = new Map<string, ModuleInfo>();
  const moduleOf = (text: string): ModuleInfo => {
    let info = modules.get(text);
    if (!info) {
      const steps = parseModulePath(text);
      info = { canonical: formatModulePath(steps), names: steps.map((s) => s.name), keys: steps.map((s) => encodeKey(s.key)) };
      modules.set(text, info);
    }
    return info;
  };

  // Pass 1: ids, canonical addresses, and instances grouped by configuration resource.
  const addresses: string[] = new Array(n);
  const instanceModule: ModuleInfo[] = new Array(n);
  const groups = new Map<string, number[]>();
  for (let id = 0; id < n; id++) {
    const r = records[id] as InstanceRecord;
    const m = moduleOf(r.module);
    instanceModule[id] = m;
    const local = `${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}${r.indexKey === null ? '' : formatKey(r.indexKey)}`;
    addresses[id] = m.canonical === '' ? local : `${m.canonical}.${local}`;
    const ck = configKeyOf(m.names, r.mode, r.type, r.name);
    let g = groups.get(ck);
    if (!g) groups.set(ck, (g = []));
    g.push(id);
  }

  // Instances of one configuration resource bucketed by their module keys on the first L steps, built on demand.
  const buckets = new Map<string, Map<string, number[]>>();
  const bucketOf = (ck: string, group: readonly number[], depth: number): Map<string, number[]> => {
    const bk = `${ck}\u0000${depth}`;
    let b = buckets.get(bk);
    if (!b) {
      b = new Map();
      for (const id of group) {
        const prefix = (instanceModule[id] as ModuleInfo).keys.slice(0, depth).join('\u0001');
        let list = b.get(prefix);
        if (!list) b.set(prefix, (list = []));
        list.push(id);
      }
      buckets.set(bk, b);
    }
    return b;
  };

  const warnings = new Set<string>();
  const parsedDeps = new Map<string, ResourceAddress | null>();
  const resolved = new Map<string, readonly number[]>();
  const EMPTY: readonly number[] = [];

  const resolve = (m: ModuleInfo, dependent: InstanceRecord, dep: string): readonly number[] => {
    const cacheKey = `${m.canonical}\u0000${dep}`;
    const hit = resolved.get(cacheKey);
    if (hit) return hit;
    let addr = parsedDeps.get(dep);
    if (addr === undefined) {
      try {
        addr = parseResourceAddress(dep);
      } catch {
        addr = null;
      }
      parsedDeps.set(dep, addr);
    }
    const owner = `${m.canonical === '' ? '' : `${m.canonical}.`}${dependent.mode === 'data' ? 'data.' : ''}${dependent.type}.${dependent.name}`;
    if (addr === null) {
      warnings.add(`${owner}: ignored dependency ${JSON.stringify(dep)}, which is not a resource address`);
      resolved.set(cacheKey, EMPTY);
      return EMPTY;
    }
    const depNames = addr.module.map((s: ModuleStep) => s.name);
    const ck = configKeyOf(depNames, addr.mode, addr.type, addr.name);
    const group = groups.get(ck);
    if (!group) {
      warnings.add(`${owner} depends on ${dep}, which has no instance in the state (count = 0, or removed)`);
      resolved.set(cacheKey, EMPTY);
      return EMPTY;
    }
    let lcp = 0;
    while (lcp < depNames.length && lcp < m.names.length && depNames[lcp] === m.names[lcp]) lcp++;
    let ids: readonly number[] = bucketOf(ck, group, lcp).get(m.keys.slice(0, lcp).join('\u0001')) ?? EMPTY;
    // Rare: a dependency written with explicit module or instance keys narrows further.
    const explicit = addr.module.some((s) => s.key !== undefined) || addr.key !== undefined;
    if (explicit) {
      const wantKeys = addr.module.map((s) => encodeKey(s.key));
      const wantKey = encodeKey(addr.key);
      ids = ids.filter((id) => {
        const keys = (instanceModule[id] as ModuleInfo).keys;
        const rec = records[id] as InstanceRecord;
        return wantKeys.every((k, i) => k === '' || keys[i] === k) && (wantKey === '' || encodeKey(rec.indexKey) === wantKey);
      });
    }
    if (ids.length === 0) warnings.add(`${owner} depends on ${dep}, which has no instance in this module instance's scope`);
    resolved.set(cacheKey, ids);
    return ids;
  };

  // Pass 2: edges upstream → downstream, de-duplicated per dependent.
  const from: number[] = [];
  const to: number[] = [];
  for (let id = 0; id < n; id++) {
    const r = records[id] as InstanceRecord;
    const m = instanceModule[id] as ModuleInfo;
    const deps = r.dependencies;
    if (deps.length === 0) continue;
    if (deps.length === 1) {
      for (const up of resolve(m, r, deps[0] as string)) {
        from.push(up);
        to.push(id);
      }
      continue;
    }
    const all = new Set<number>();
    for (const dep of deps) for (const up of resolve(m, r, dep)) all.add(up);
    for (const up of all) {
      from.push(up);
      to.push(id);
    }
  }
  const fromArr = Uint32Array.from(from);
  const toArr = Uint32Array.from(to);
  const down = toCsr(n, fromArr, toArr);
  const up = toCsr(n, toArr, fromArr);
  const index = new ResourceIndex({
    addresses,
    records,
    upOffsets: up.offsets,
    upTargets: up.targets,
    downOffsets: down.offsets,
    downTargets: down.targets,
  });
  return { index, warnings: [...warnings].sort() };
}
