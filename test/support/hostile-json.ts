// fast-check arbitraries for tfstate-shaped documents full of hostile content (escaped quotes, backslashes,
// astral and lone-surrogate unicode, JSON punctuation inside strings and keys, deep values, exponent numbers,
// duplicate keys, wrong types), and a serialiser that puts random JSON whitespace between every token.
import fc from 'fast-check';

/** A JSON value whose objects are key/value pair lists, so duplicate keys and any key order can be written. */
export type Json = null | boolean | number | string | { raw: string } | Json[] | { pairs: [string, Json][] };

const PIECES = ['"', '\\', '\\"', '{', '}', '[', ']', ',', ':', '\n', '\t', '\u0000', '\u001f', '\u007f', 'é', '€', '\u2028', '😀', '\ud800', '\udfff', '\\u0041', 'module.x["a"]', ' '];

/** Strings mixing ordinary text with every kind of hostile piece. */
export const hostileString: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(...PIECES),
      fc.string({ maxLength: 6 }),
      fc.string({ unit: 'binary', maxLength: 3 }),
      // Runs longer than 16 bytes exercise the kernel's 16-byte (SIMD) string scan.
      fc.string({ minLength: 15, maxLength: 40 }),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''));

/** Number lexemes JSON.stringify never writes but JSON accepts. */
const RAW_NUMBERS = ['1E5', '-0', '-0.0e-0', '0.5E+2', '123456789012345678901234567890', '1e400', '-1e-400', '2.50', '0e0'];

export const numberValue: fc.Arbitrary<Json> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(...RAW_NUMBERS).map((raw) => ({ raw })),
);

/** Arbitrary JSON, up to a few levels deep. */
export const anyJson: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    numberValue,
    hostileString,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(hostileString, tie('value')), { maxLength: 4 }).map((pairs) => ({ pairs })),
  ),
})).value;

/** A value nested `depth` levels deep, alternating arrays and objects. */
export function deepValue(depth: number): Json {
  let v: Json = 'bottom "}]';
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v, 1] : { pairs: [['k{', v]] };
  return v;
}

function pairsOf(fields: [string, Json | undefined][], extra: [string, Json][], order: number[]): { pairs: [string, Json][] } {
  const pairs = [...fields.filter((f): f is [string, Json] => f[1] !== undefined), ...extra];
  // A permutation from the seed: key order inside objects is arbitrary in JSON.
  const sorted = pairs.map((p, i) => ({ p, k: order[i % Math.max(order.length, 1)] ?? i })).sort((a, b) => a.k - b.k);
  return { pairs: sorted.map((x) => x.p) };
}

const order = fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 12 });
const extraPairs = fc.array(fc.tuple(hostileString, anyJson), { maxLength: 2 });
const maybe = <T>(arb: fc.Arbitrary<T>, freq = 4): fc.Arbitrary<T | undefined> => fc.option(arb, { freq, nil: undefined });

const instance: fc.Arbitrary<Json> = fc
  .record({
    // Wrong types are rare (weight 1), so that most generated states load and the record path stays covered.
    index_key: maybe(fc.oneof({ weight: 6, arbitrary: fc.nat(1000) }, { weight: 6, arbitrary: hostileString }, { weight: 1, arbitrary: fc.constantFrom<Json>(1.5, { pairs: [] }, [], true, null, { raw: '1E1' }, { raw: '1e400' }) })),
    status: maybe(fc.oneof({ weight: 9, arbitrary: fc.constantFrom<Json>('tainted', 'ready', null) }, { weight: 1, arbitrary: fc.constant<Json>(5) })),
    deposed: maybe(fc.oneof({ weight: 9, arbitrary: fc.oneof(fc.constantFrom<Json>('', 'a1b2c3', null), hostileString) }, { weight: 1, arbitrary: fc.constant<Json>(7) })),
    dependencies: maybe(
      fc.oneof(
        { weight: 9, arbitrary: fc.array(fc.oneof({ weight: 12, arbitrary: fc.oneof(hostileString, fc.constant<Json>('aws_vpc.main')) }, { weight: 1, arbitrary: fc.oneof(numberValue, fc.constantFrom<Json>(null, true, [], { pairs: [] })) }), { maxLength: 4 }) },
        { weight: 1, arbitrary: fc.constantFrom<Json>(null, 'x', { pairs: [] }, 3) },
      ),
    ),
    schema_version: maybe(fc.nat(3)),
    attributes: maybe(fc.oneof(anyJson, fc.nat(40).map(deepValue))),
    sensitive_attributes: maybe(anyJson),
    private: maybe(hostileString),
    extra: extraPairs,
    order,
  })
  .map((r) =>
    pairsOf(
      [
        ['index_key', r.index_key],
        ['status', r.status],
        ['deposed', r.deposed],
        ['dependencies', r.dependencies],
        ['schema_version', r.schema_version],
        ['attributes', r.attributes],
        ['sensitive_attributes', r.sensitive_attributes],
        ['private', r.private],
      ],
      r.extra,
      r.order,
    ),
  );

const resource: fc.Arbitrary<Json> = fc.oneof(
  { weight: 20, arbitrary: fc
    .record({
      module: maybe(fc.oneof({ weight: 12, arbitrary: fc.oneof(fc.constantFrom('module.a', 'module.b["x"]', 'module.c[0].module.d'), hostileString) }, { weight: 1, arbitrary: fc.constantFrom<Json>(null, 5) })),
      mode: fc.oneof({ weight: 9, arbitrary: fc.constantFrom<Json>('managed', 'managed', 'data') }, { weight: 1, arbitrary: fc.constantFrom<Json>('other', 3) }),
      type: fc.oneof({ weight: 9, arbitrary: fc.constantFrom('aws_instance', 'terraform_data') }, { weight: 1, arbitrary: fc.constantFrom<Json>(null, 1) }),
      name: hostileString,
      provider: maybe(fc.oneof({ weight: 12, arbitrary: fc.oneof(fc.constant('provider["registry.terraform.io/hashicorp/aws"]'), hostileString) }, { weight: 1, arbitrary: fc.constantFrom<Json>(null, 5) })),
      instances: maybe(fc.oneof({ weight: 9, arbitrary: fc.array(instance, { maxLength: 4 }) }, { weight: 1, arbitrary: fc.constantFrom<Json>(null, 5, [1], 'i', { pairs: [] }) }), 9),
      duplicateInstances: fc.boolean(),
      extra: extraPairs,
      order,
    })
    .map((r) => {
      const doc = pairsOf(
        [
          ['module', r.module],
          ['mode', r.mode],
          ['type', r.type],
          ['name', r.name],
          ['provider', r.provider],
          ['instances', r.instances],
        ],
        r.extra,
        r.order,
      );
      // Rarely, a repeated key: JSON.parse keeps the last.
      if (r.duplicateInstances && r.extra.length === 1) doc.pairs.unshift(['instances', [{ pairs: [['index_key', 9]] }]]);
      return doc;
    }) },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, 'resource', []) },
);

/** A tfstate-shaped document; mostly valid v4, sometimes of another version or shape. */
export const stateDocument: fc.Arbitrary<Json> = fc
  .record({
    version: fc.oneof({ weight: 12, arbitrary: fc.constant<Json>(4) }, { weight: 1, arbitrary: fc.constantFrom<Json>(3, 5, '4', 4.5, { raw: '4.0' }, { raw: '4e0' }) }),
    terraform_version: maybe(fc.oneof(fc.constant('1.11.4'), hostileString)),
    serial: maybe(fc.oneof(fc.nat(), fc.constantFrom<Json>('1', null))),
    lineage: maybe(hostileString),
    outputs: maybe(anyJson),
    resources: maybe(fc.oneof({ weight: 12, arbitrary: fc.array(resource, { maxLength: 5 }) }, { weight: 1, arbitrary: fc.constantFrom<Json>(null, { pairs: [] }, 'r') }), 12),
    check_results: maybe(anyJson),
    encrypted: fc.constantFrom(false, false, false, false, false, false, false, false, false, true),
    extra: extraPairs,
    order,
  })
  .map((r) =>
    pairsOf(
      [
        ['version', r.version],
        ['terraform_version', r.terraform_version],
        ['serial', r.serial],
        ['lineage', r.lineage],
        ['outputs', r.outputs],
        ['resources', r.resources],
        ['check_results', r.check_results],
        ['encrypted_data', r.encrypted ? 'AAAA' : undefined],
      ],
      r.extra,
      r.order,
    ),
  );

const WS = ['', '', '', ' ', '\n', '  ', '\t', '\r\n', '\n    ', '\n                    \t  '];

/** Serialises with whitespace chosen by `noise` (cycled) before and after every token. O(size). */
export function serialize(value: Json, noise: readonly number[]): string {
  let n = 0;
  const ws = (): string => WS[(noise[n++ % noise.length] ?? 0) % WS.length]!;
  const out: string[] = [];
  const write = (v: Json): void => {
    out.push(ws());
    if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') out.push(JSON.stringify(v));
    else if (Array.isArray(v)) {
      out.push('[');
      v.forEach((item, i) => {
        if (i > 0) out.push(',');
        write(item);
      });
      out.push(ws(), ']');
    } else if ('raw' in v) out.push(v.raw);
    else {
      out.push('{');
      v.pairs.forEach(([k, item], i) => {
        if (i > 0) out.push(',');
        out.push(ws(), JSON.stringify(k), ws(), ':');
        write(item);
      });
      out.push(ws(), '}');
    }
    out.push(ws());
  };
  write(value);
  return out.join('');
}
