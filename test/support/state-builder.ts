// Builds LoadedState values in memory for graph tests: real tfstate v4 JSON text, so the tests exercise the reader too.
import { parseState } from '../../src/state/parse-state.js';
import type { LoadedState } from '../../src/state/instance-record.js';

export interface ResourceSpec {
  module?: string;
  mode?: 'managed' | 'data';
  type?: string;
  name: string;
  /** Instance keys; omit for a single instance without key. */
  keys?: (string | number)[];
  dependencies?: string[];
  tainted?: boolean;
  deposed?: number;
}

/** The tfstate v4 JSON text of the given resources, as Terraform would lay it out. */
export function stateJson(resources: ResourceSpec[], meta: { serial?: number; lineage?: string } = {}): string {
  return JSON.stringify(
    {
      version: 4,
      terraform_version: '1.11.4',
      serial: meta.serial ?? 1,
      lineage: meta.lineage ?? '00000000-0000-0000-0000-000000000000',
      outputs: {},
      resources: resources.map((r) => ({
        ...(r.module ? { module: r.module } : {}),
        mode: r.mode ?? 'managed',
        type: r.type ?? 'terraform_data',
        name: r.name,
        provider: 'provider["terraform.io/builtin/terraform"]',
        instances: (r.keys ?? [null]).flatMap((key) => [
          {
            ...(key === null ? {} : { index_key: key }),
            ...(r.tainted ? { status: 'tainted' } : {}),
            schema_version: 0,
            attributes: { id: `${r.name}-${String(key)}`, input: { value: 'x', type: 'string' } },
            sensitive_attributes: [],
            dependencies: r.dependencies ?? [],
          },
          ...Array.from({ length: r.deposed ?? 0 }, (_, i) => ({
            ...(key === null ? {} : { index_key: key }),
            deposed: `dep0000${i}`,
            schema_version: 0,
            attributes: { id: 'old' },
            dependencies: r.dependencies ?? [],
          })),
        ]),
      })),
      check_results: null,
    },
    null,
    2,
  );
}

export function buildState(resources: ResourceSpec[]): LoadedState {
  return parseState(stateJson(resources), 'test-state');
}
