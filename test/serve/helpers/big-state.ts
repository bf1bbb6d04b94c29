// Test support: a large v4 state of terraform_data instances (several MB), the shape `terraform state push` keeps
// as is. Same arguments, same document; `fill` changes every instance, so two fills differ in every row.

/** A v4 state of `n` terraform_data instances `big[i]`, each with a `pad`-character attribute of `fill`. O(n * pad). */
export function bigState(n: number, pad: number, serial: number, lineage: string, fill = 'x'): Record<string, unknown> {
  const instances = Array.from({ length: n }, (_, i) => ({
    index_key: i,
    schema_version: 0,
    attributes: { id: `id-${i}`, input: { value: fill.repeat(pad), type: 'string' }, output: null, triggers_replace: null },
    sensitive_attributes: [],
  }));
  return { version: 4, terraform_version: '1.11.4', serial, lineage, outputs: {}, resources: [{ mode: 'managed', type: 'terraform_data', name: 'big', provider: 'provider["terraform.io/builtin/terraform"]', instances }], check_results: null };
}
