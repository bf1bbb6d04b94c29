// Finds the references an expression (or a whole block body in Terraform's JSON syntax) makes to named values:
// `var.x`, `local.x`, `module.m.out`, `data.t.n`, `path.module`, `terraform.workspace`. The text has already
// been parsed by the real HCL parser; this only reads traversal roots out of its expression source.
// Guarantee: over-approximates (a name inside a string literal counts), never under-approximates.

const IDENT = String.raw`[\p{L}_][\p{L}\p{N}_-]*`;
// NOTE: one regex pass over the canonical JSON of a body instead of one WebAssembly AST call per expression
// (~1 ms each): at 100,000 blocks that is the difference between milliseconds and minutes. The lookbehind keeps
// `myvar.x` from matching; whitespace around `.` is allowed because HCL's traversal syntax allows it.
const REF = new RegExp(
  String.raw`(?<![\p{L}\p{N}_])(var|local|module|data|path|terraform|each)\s*\.\s*(${IDENT})` +
    String.raw`(?:\s*\.\s*(${IDENT}))?`,
  'gu',
);
// `module.NAME[KEY].OUT`: the key is skipped when it holds no nested bracket; otherwise the whole module counts.
const MODULE_KEYED = new RegExp(String.raw`^\s*\[[^\[\]]*\]\s*\.\s*(${IDENT})`, 'u');

/**
 * Sorted, unique references in `text`: `var.X`, `local.X`, `module.M.OUT` (or `module.M` when the output
 * cannot be named statically), `data.T.N`, `path.X`, `terraform.workspace`, and `each` for any `each.key` /
 * `each.value`. O(length of text).
 */
export function extractReferences(text: string): string[] {
  const out = new Set<string>();
  REF.lastIndex = 0;
  for (let m = REF.exec(text); m !== null; m = REF.exec(text)) {
    const [, root, first, second] = m as unknown as [string, string, string, string | undefined];
    switch (root) {
      case 'var':
      case 'local':
      case 'path':
        out.add(`${root}.${first}`);
        break;
      case 'terraform':
        if (first === 'workspace') out.add('terraform.workspace');
        break;
      case 'each':
        out.add('each');
        break;
      case 'data':
        if (second !== undefined) out.add(`data.${first}.${second}`);
        break;
      case 'module': {
        if (second !== undefined) {
          out.add(`module.${first}.${second}`);
          break;
        }
        const keyed = MODULE_KEYED.exec(text.slice(m.index + m[0].length, m.index + m[0].length + 200));
        out.add(keyed?.[1] !== undefined ? `module.${first}.${keyed[1]}` : `module.${first}`);
        break;
      }
    }
  }
  return [...out].sort();
}

/** Functions whose first argument is a path that Terraform reads at plan time. */
export const FILE_FUNCTIONS: ReadonlySet<string> = new Set([
  'file',
  'filebase64',
  'filebase64sha256',
  'filebase64sha512',
  'fileexists',
  'filemd5',
  'filesha1',
  'filesha256',
  'filesha512',
  'fileset',
  'templatefile',
]);

const FILE_CALL = /(?<![\p{L}\p{N}_:-])(file|filebase64|filebase64sha256|filebase64sha512|fileexists|filemd5|filesha1|filesha256|filesha512|fileset|templatefile)\s*\(/u;

/** Whether `text` may call a file-reading function (cheap prefilter before parsing the expression). O(length). */
export function mayCallFileFunction(text: string): boolean {
  return FILE_CALL.test(text);
}
