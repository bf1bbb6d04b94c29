// fast-check arbitraries for states with module trees: module calls with instance keys, resources inside them,
// and dependencies recorded the way Terraform records them (configuration addresses, no instance keys).
// Dependencies only point at configuration resources declared earlier, so the instance graph is acyclic.
import fc from 'fast-check';
import type { ResourceSpec } from './state-builder.js';

interface ConfigResource {
  /** Module call names from the root, e.g. ['c', 'sub']. */
  calls: string[];
  type: string;
  name: string;
  mode: 'managed' | 'data';
  keys: (string | number)[] | null;
  deps: number[];
}

const moduleKeys = fc.oneof(
  fc.constant<(string | number)[] | null>(null),
  fc.uniqueArray(fc.nat({ max: 3 }), { minLength: 1, maxLength: 3 }).map((k) => k.sort()),
  fc.uniqueArray(fc.constantFrom('x', 'y', 'z"q', 'é'), { minLength: 1, maxLength: 3 }).map((k) => k.sort()),
);

/** A random workspace: up to `max` configuration resources in up to two levels of module calls. */
export function workspaceArb(max = 12): fc.Arbitrary<ResourceSpec[]> {
  return fc
    .record({
      calls: fc.constantFrom<string[][]>([['c'], ['c', 'sub'], ['d']]),
      callKeys: fc.tuple(moduleKeys, moduleKeys, moduleKeys),
      resources: fc.array(
        fc.record({
          place: fc.nat({ max: 3 }),
          mode: fc.constantFrom<'managed' | 'data'>('managed', 'managed', 'managed', 'data'),
          keys: moduleKeys,
          deps: fc.array(fc.nat({ max: 1000 }), { maxLength: 3 }),
        }),
        { minLength: 1, maxLength: max },
      ),
    })
    .map(({ callKeys, resources }) => {
      const places: string[][] = [[], ['c'], ['c', 'sub'], ['d']];
      const keysOfCall: Record<string, (string | number)[] | null> = { c: callKeys[0], sub: callKeys[1], d: callKeys[2] };
      const config: ConfigResource[] = resources.map((r, i) => ({
        calls: places[r.place] as string[],
        type: 'terraform_data',
        name: `r${i}`,
        mode: r.mode,
        keys: r.keys,
        deps: i === 0 ? [] : [...new Set(r.deps.map((d) => d % i))],
      }));
      // Expand module instances: every combination of keys along the call path.
      const instancesOf = (calls: string[]): string[] => {
        let paths = [''];
        for (const call of calls) {
          const keys = keysOfCall[call] ?? null;
          paths = paths.flatMap((p) =>
            (keys ?? [null]).map((k) => `${p === '' ? '' : `${p}.`}module.${call}${k === null ? '' : typeof k === 'number' ? `[${k}]` : `[${JSON.stringify(k)}]`}`),
          );
        }
        return paths;
      };
      const specs: ResourceSpec[] = [];
      for (const c of config) {
        for (const module of instancesOf(c.calls)) {
          specs.push({
            ...(module === '' ? {} : { module }),
            mode: c.mode,
            type: c.type,
            name: c.name,
            ...(c.keys === null ? {} : { keys: c.keys }),
            dependencies: c.deps.map((d) => {
              const dep = config[d] as ConfigResource;
              return [...dep.calls.map((m) => `module.${m}`), `${dep.mode === 'data' ? 'data.' : ''}${dep.type}.${dep.name}`].join('.');
            }),
          });
        }
      }
      return specs;
    });
}
