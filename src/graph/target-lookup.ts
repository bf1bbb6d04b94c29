// Lookup tables over a ResourceIndex for `-target` choice: the instances of one resource, one configuration block,
// one module instance. Guarantees: built once per index, lazily, in O(N · module depth) with no new per-instance
// address strings; ids in every list ascend; lookups are O(1) + O(answer).

import { formatModulePath, parseModulePath, resourceLocalName, type ModuleStep } from '../state/address.js';
import type { ResourceIndex } from './resource-index.js';

/** What one module instance path looks like, shared by every instance in it. */
interface ModuleShape {
  readonly path: string;
  readonly steps: readonly ModuleStep[];
  /** Module instance path of the first k steps, k = 1..depth (`prefixes[k - 1]`). */
  readonly prefixes: readonly string[];
  /** `module.a.module.b`: the module calls, keys dropped. */
  readonly calls: string;
}

export class TargetLookup {
  readonly size: number;
  readonly #index: ResourceIndex;
  readonly #shapeOf: ModuleShape[];
  readonly #resourceOf: string[];
  readonly #byResource = new Map<string, number[]>();
  readonly #byConfig = new Map<string, number[]>();
  readonly #byModule = new Map<string, number[]>();

  /**
   * O(N · module depth) once: one pass over the records (a snapshot-loaded index builds each record here).
   * NOTE: instances of one resource are adjacent in a state, so the resource and configuration strings are built
   * once per resource, not once per instance.
   */
  constructor(index: ResourceIndex) {
    this.#index = index;
    this.size = index.size;
    this.#shapeOf = new Array<ModuleShape>(index.size);
    this.#resourceOf = new Array<string>(index.size);
    const shapes = new Map<string, ModuleShape>();
    let prevKey = '';
    let resource = '';
    let config = '';
    for (let id = 0; id < index.size; id++) {
      const r = index.record(id);
      let shape = shapes.get(r.module);
      if (!shape) {
        const steps = parseModulePath(r.module);
        const prefixes = steps.map((_, k) => formatModulePath(steps.slice(0, k + 1)));
        shape = { path: prefixes.at(-1) ?? '', steps, prefixes, calls: steps.map((s) => `module.${s.name}`).join('.') };
        shapes.set(r.module, shape);
      }
      const local = resourceLocalName(r);
      const key = `${r.module}\u0000${local}`;
      if (key !== prevKey) {
        prevKey = key;
        resource = shape.path === '' ? local : `${shape.path}.${local}`;
        config = shape.calls === '' ? local : `${shape.calls}.${local}`;
      }
      this.#shapeOf[id] = shape;
      this.#resourceOf[id] = resource;
      push(this.#byResource, resource, id);
      push(this.#byConfig, config, id);
      for (const p of shape.prefixes) push(this.#byModule, p, id);
    }
  }

  /** The canonical instance address of `id`. O(1). */
  address(id: number): string {
    return this.#index.address(id);
  }
  /** Module instance path of `id` ('' for the root). O(1). */
  moduleOf(id: number): string {
    return this.#shapeOf[id]?.path ?? '';
  }
  /** Module steps of `id`. O(1). */
  stepsOf(id: number): readonly ModuleStep[] {
    return this.#shapeOf[id]?.steps ?? [];
  }
  /** Module instance paths of `id`'s first 1..depth steps, outermost first. O(1). */
  modulePrefixesOf(id: number): readonly string[] {
    return this.#shapeOf[id]?.prefixes ?? [];
  }
  /** `module.a.module.b` of the first `depth` steps of `id`. O(depth). */
  callsOf(id: number, depth: number): string {
    return this.stepsOf(id).slice(0, depth).map((s) => `module.${s.name}`).join('.');
  }
  /** Resource address of `id` inside its module instance, without instance key. O(1). */
  resourceOf(id: number): string {
    return this.#resourceOf[id] ?? '';
  }
  /** Whether `id` has an instance key (count / for_each). O(1). */
  keyed(id: number): boolean {
    return this.#index.record(id).indexKey !== null;
  }
  /** Configuration addresses `id` depends on, as the state records them. O(1). */
  dependenciesOf(id: number): readonly string[] {
    return this.#index.record(id).dependencies;
  }
  /** Instances of one resource in one module instance. O(1). */
  resourceInstances(resource: string): readonly number[] {
    return this.#byResource.get(resource) ?? [];
  }
  /** Instances of a configuration resource across every module instance. O(1). */
  configInstances(config: string): readonly number[] {
    return this.#byConfig.get(config) ?? [];
  }
  /** Instances under a module instance path, nested modules included. O(1). */
  moduleInstances(modulePath: string): readonly number[] {
    return this.#byModule.get(modulePath) ?? [];
  }
}

function push(map: Map<string, number[]>, key: string, id: number): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}
