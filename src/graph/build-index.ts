// Builds the ResourceIndex from loaded instance records: canonical addresses and dependency edges resolved
// module-instance-aware (DESIGN.md, Semantics). Guarantees: sound (never drops a real dependency), dangling
// references become warnings, never failures; output is independent of Map iteration order; an instance address
// held twice (Terraform: "Duplicate resource instance in state") is refused with STATE_DUPLICATE_INSTANCE.

import { formatKey, formatModulePath, parseModulePath, parseResourceAddress, type ModuleStep, type ResourceAddress } from '../state/address.js';
import type { IndexKey, InstanceRecord, LoadedState } from '../state/instance-record.js';
import { duplicateInstance } from '../state/parse-state.js';
import { ResourceIndex, transpose } from './resource-index.js';

/** A module instance path, parsed once per distinct `module` string of the state. */
interface ModuleInfo {
  readonly canonical: string;
  readonly names: readonly string[];
  /** Encoded instance key per step ('' when the step has none), comparable with ===. */
  readonly keys: readonly string[];
}

const encodeKey = (k: IndexKey | undefined | null): string => (k === undefined || k === null ? '' : typeof k === 'number' ? `#${k}` : `$${k}`);
const configKeyOf = (names: readonly string[], mode: string, type: string, name: string) => `${names.join('.')} ${mode} ${type} ${name}`;

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

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
 * @throws StateParseError STATE_DUPLICATE_INSTANCE naming the first address seen twice (in state order).
 */
export function buildIndex(state: LoadedState, source = 'state'): BuildIndexResult {
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
  // NOTE: the address → id map detects duplicates in one pass; it is handed to the index, whose idOf would
  // build the same map on the first lookup, so a load followed by a query pays for it once.
  const idOfAddress = new Map<string, number>();
  const instanceModule: ModuleInfo[] = new Array(n);
  const groups = new Map<string, number[]>();
  let prev: InstanceRecord | undefined;
  let prefix = '';
  let group: number[] = [];
  let m: ModuleInfo = moduleOf('');
  for (let id = 0; id < n; id++) {
    const r = records[id] as InstanceRecord;
    // NOTE: instances of one resource are adjacent in a state; reuse its module, address prefix and group.
    if (!prev || prev.module !== r.module || prev.name !== r.name || prev.type !== r.type || prev.mode !== r.mode) {
      m = moduleOf(r.module);
      prefix = `${m.canonical === '' ? '' : `${m.canonical}.`}${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}`;
      const ck = configKeyOf(m.names, r.mode, r.type, r.name);
      let g = groups.get(ck);
      if (!g) groups.set(ck, (g = []));
      group = g;
      prev = r;
    }
    instanceModule[id] = m;
    const address = r.indexKey === null ? prefix : prefix + formatKey(r.indexKey);
    // Two resources[] entries of one resource (or module paths written two ways) can name one instance twice.
    if (idOfAddress.has(address)) throw duplicateInstance(source, address);
    idOfAddress.set(address, id);
    addresses[id] = address;
    group.push(id);
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

  // Pass 2: the upstream CSR, written directly in id order. A whole dependency list is resolved once per module
  // instance into a sorted, duplicate-free id list.
  // NOTE: every instance of a resource in one module instance shares its list, so at 1M instances this resolves
  // ~10^4 lists instead of ~3·10^6 dependencies, and allocates nothing per instance.
  const listCache = new Map<ModuleInfo, Map<string, Uint32Array>>();
  const EMPTY_IDS: Uint32Array = new Uint32Array(0);
  const resolveList = (m: ModuleInfo, r: InstanceRecord): Uint32Array => {
    const deps = r.dependencies;
    if (deps.length === 0) return EMPTY_IDS;
    let perModule = listCache.get(m);
    if (!perModule) listCache.set(m, (perModule = new Map()));
    const key = deps.length === 1 ? (deps[0] as string) : deps.join('\u0000');
    let ids = perModule.get(key);
    if (!ids) {
      const parts = deps.map((dep) => resolve(m, r, dep));
      const merged = parts.length === 1 ? (parts[0] as readonly number[]) : [...new Set(parts.flat())];
      ids = Uint32Array.from(merged).sort();
      perModule.set(key, ids);
    }
    return ids;
  };
  const upOffsets = new Uint32Array(n + 1);
  let upTargets = new Uint32Array(Math.max(16, n * 2));
  let edges = 0;
  let lastModule: ModuleInfo | undefined;
  let lastDeps: readonly string[] = [];
  let ids: Uint32Array = EMPTY_IDS;
  for (let id = 0; id < n; id++) {
    const r = records[id] as InstanceRecord;
    const mod = instanceModule[id] as ModuleInfo;
    // NOTE: neighbouring instances nearly always repeat the previous list: compare before hashing a joined key.
    if (mod !== lastModule || !sameList(r.dependencies, lastDeps)) {
      ids = resolveList(mod, r);
      lastModule = mod;
      lastDeps = r.dependencies;
    }
    if (edges + ids.length > upTargets.length) {
      const grown = new Uint32Array(Math.max(upTargets.length * 2, edges + ids.length));
      grown.set(upTargets.subarray(0, edges));
      upTargets = grown;
    }
    upTargets.set(ids, edges);
    edges += ids.length;
    upOffsets[id + 1] = edges;
  }
  upTargets = upTargets.slice(0, edges);
  const down = transpose(n, upOffsets, upTargets);
  const index = new ResourceIndex({ addresses, records, upOffsets, upTargets, downOffsets: down.offsets, downTargets: down.targets }, idOfAddress);
  return { index, warnings: [...warnings].sort() };
}
