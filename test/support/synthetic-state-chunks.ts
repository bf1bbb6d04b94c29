// A seeded generator of large, realistic tfstate v4 documents (terraform_data resources inside module
// instances, with dependencies and attribute values), produced chunk by chunk so no test or benchmark ever
// holds the whole document. Deterministic: the same arguments always give the same bytes.

/** Options of {@link syntheticStateChunks}. */
export interface SyntheticStateOptions {
  /** Resources per module instance (customer). @default 20 */
  perModule?: number;
  /** Pretty-print like terraform does (2-space indentation): about 2.5x the bytes. @default true */
  pretty?: boolean;
  /** Extra attribute bytes per instance (a `blob` string), to make attributes dominate the file. @default 0 */
  attributeBytes?: number;
}

/**
 * Yields the document as UTF-8 chunks of roughly `chunkBytes` bytes. O(resources).
 * Each resource has one instance; every fifth is a counted resource with index_key, every 50th is tainted.
 */
export function* syntheticStateChunks(resources: number, chunkBytes = 1 << 20, opts: SyntheticStateOptions = {}): Generator<Buffer> {
  const perModule = opts.perModule ?? 20;
  const indent = opts.pretty === false ? undefined : 2;
  const blob = opts.attributeBytes ? 'x\\"{[,:'.repeat(Math.ceil(opts.attributeBytes / 8)).slice(0, opts.attributeBytes) : undefined;
  let pending: string[] = [];
  let pendingBytes = 0;
  const push = function* (s: string): Generator<Buffer> {
    pending.push(s);
    pendingBytes += s.length;
    if (pendingBytes >= chunkBytes) {
      yield Buffer.from(pending.join(''), 'utf8');
      pending = [];
      pendingBytes = 0;
    }
  };
  yield* push(`{\n  "version": 4,\n  "terraform_version": "1.11.4",\n  "serial": ${resources},\n  "lineage": "5e1b0c3a-7c1d-4f1e-9a7b-000000000000",\n  "outputs": {\n    "count": {\n      "value": ${resources},\n      "type": "number"\n    }\n  },\n  "resources": [`);
  for (let i = 0; i < resources; i++) {
    const customer = Math.floor(i / perModule);
    const slot = i % perModule;
    const module = `module.customer["c${customer}"]`;
    const counted = slot % 5 === 4;
    const deps = slot === 0 ? [] : [`module.customer.terraform_data.r${slot - 1}`, 'terraform_data.global'];
    const instance: Record<string, unknown> = {
      ...(counted ? { index_key: slot } : {}),
      ...(i % 50 === 49 ? { status: 'tainted' } : {}),
      schema_version: 0,
      attributes: {
        id: `0b1d${i.toString(16).padStart(8, '0')}-6a2e-4c1f-8b7d-2f9c3e4a5b6c`,
        input: { value: { name: `device-${i}`, tags: { env: 'prod', note: 'quote " brace { bracket ] comma , colon :' }, ports: [80, 443, 8080], weight: 1.5e3 }, type: ['object', { name: 'string' }] },
        output: { value: { name: `device-${i}` }, type: ['object', { name: 'string' }] },
        triggers_replace: null,
        ...(blob === undefined ? {} : { blob }),
      },
      sensitive_attributes: [],
      ...(deps.length > 0 ? { dependencies: deps } : {}),
    };
    const resource = {
      module,
      mode: 'managed',
      type: 'terraform_data',
      name: `r${slot}`,
      provider: 'provider["terraform.io/builtin/terraform"]',
      instances: [instance],
    };
    const json = indent === undefined ? JSON.stringify(resource) : JSON.stringify(resource, null, indent).replace(/\n/g, '\n    ');
    yield* push(`${i === 0 ? '' : ','}\n    ${json}`);
  }
  yield* push('\n  ],\n  "check_results": null\n}\n');
  if (pending.length > 0) yield Buffer.from(pending.join(''), 'utf8');
}
