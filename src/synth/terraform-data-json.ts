// Renders one `terraform_data` resource exactly as Terraform 1.11.4 writes it into a tfstate v4: key order,
// two-space indentation (Go's json.MarshalIndent), attribute layout (id, input, output, triggers_replace),
// `schema_version` 0 and empty `sensitive_attributes`; checked against a real `terraform apply`.

import type { SynthInstance, SynthResource, SynthValue } from './synth-resource.js';

const PROVIDER = 'provider["terraform.io/builtin/terraform"]';
const INSTANCE_INDENT = '        ';

/** The cty value with its type, as the state stores `input`/`output`; object keys sorted like cty does. */
function dynamicValue(v: SynthValue): unknown {
  if (v === null) return null;
  if (typeof v === 'string') return { value: v, type: 'string' };
  const keys = Object.keys(v).sort();
  const value: Record<string, string> = {};
  const type: Record<string, string> = {};
  for (const k of keys) {
    value[k] = v[k] as string;
    type[k] = 'string';
  }
  return { value, type: ['object', type] };
}

function instanceJson(inst: SynthInstance): string {
  const out: Record<string, unknown> = {};
  if (inst.indexKey !== null) out['index_key'] = inst.indexKey;
  out['schema_version'] = 0;
  const dv = dynamicValue(inst.input);
  out['attributes'] = { id: inst.id, input: dv, output: dv, triggers_replace: null };
  out['sensitive_attributes'] = [];
  if (inst.dependencies.length > 0) out['dependencies'] = inst.dependencies;
  // NOTE: JSON.stringify(…, 2) prints exactly what MarshalIndent prints for these values (no <, >, & to
  // escape) and V8's serialiser beats hand-built strings; one instance at a time keeps every string small.
  return INSTANCE_INDENT + JSON.stringify(out, null, 2).replaceAll('\n', `\n${INSTANCE_INDENT}`);
}

/**
 * The JSON text of one `resources[]` entry in chunks (one per instance), indented for its place in the file,
 * without a trailing comma or newline. Memory O(one instance) whatever the instance count.
 */
export function* terraformDataResourceJson(resource: SynthResource): Iterable<string> {
  let head = '    {\n';
  if (resource.module !== '') head += `      "module": ${JSON.stringify(resource.module)},\n`;
  head += `      "mode": "managed",\n      "type": "terraform_data",\n      "name": ${JSON.stringify(resource.name)},\n`;
  head += `      "provider": ${JSON.stringify(PROVIDER)},\n      "instances": [`;
  let first = true;
  for (const inst of resource.instances) {
    yield first ? `${head}\n${instanceJson(inst)}` : `,\n${instanceJson(inst)}`;
    first = false;
  }
  yield first ? `${head}]\n    }` : '\n      ]\n    }';
}
