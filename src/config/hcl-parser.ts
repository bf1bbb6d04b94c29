// The only door to HashiCorp's HCL parser (hclsyntax compiled to WebAssembly, npm `@cdktf/hcl2json`):
// `parseHcl` turns a `.tf`/`.tfvars` text into Terraform's JSON syntax (expressions kept as `${...}` source
// text); `parseTemplateAsts` gives the syntax trees of such template strings, many per parser call. Parse errors
// become ConfigParseError.

import { ConfigParseError } from './config-errors.js';

/** A node of the expression syntax tree as hcl2json returns it (only the fields velocity reads). */
/** A byte range in the parsed text. */
export interface HclRange {
  readonly start: { readonly byte: number };
  readonly end: { readonly byte: number };
}

export interface HclAstNode {
  readonly type: string;
  readonly children: readonly HclAstNode[];
  readonly range?: HclRange;
  readonly meta: {
    readonly value?: string;
    readonly name?: string;
    readonly type?: string;
    readonly fullAccessor?: string;
    /** Traversals: the steps, `nameTraversal` (segment = the name) or `indexTraversal` (segment = the key's source). */
    readonly traversal?: readonly { readonly type: string; readonly segment?: string; readonly range?: HclRange }[];
  };
}

interface Hcl2Json {
  parse(filename: string, contents: string): Promise<Record<string, unknown>>;
  getExpressionAst(filename: string, expression: string): Promise<HclAstNode | null>;
}

let loaded: Promise<Hcl2Json> | undefined;

// NOTE: imported lazily: loading the module instantiates a 7 MB WebAssembly Go runtime (~150 ms), which
// commands that never parse HCL must not pay for.
function hcl(): Promise<Hcl2Json> {
  loaded ??= import('@cdktf/hcl2json').then((m) => m as unknown as Hcl2Json);
  return loaded;
}

function detail(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^parse config: /, '').replace(/^\[|\]$/g, '');
}

/**
 * Parses one HCL file (configuration or tfvars) into Terraform's JSON syntax. O(text), but the WebAssembly
 * parser is slow (~0.5 MB/s here): callers cache by content hash.
 * @throws ConfigParseError
 */
export async function parseHcl(file: string, text: string): Promise<Record<string, unknown>> {
  const h = await hcl();
  try {
    return await h.parse(file, text);
  } catch (error) {
    throw new ConfigParseError(file, detail(error));
  }
}

// A heredoc accepts any template text verbatim, quotes included.
const MARKER = 'VELOCITY_EXPR_END';
const heredoc = (template: string): string => `<<${MARKER}\n${template}\n${MARKER}\n`;

/**
 * Syntax tree of one expression in JSON-syntax form (`${...}` template text), or null if it does not parse.
 * Costs ~0.8 ms per call (most of it the tree's JSON crossing the WebAssembly boundary).
 */
export async function parseExpressionAst(file: string, template: string): Promise<HclAstNode | null> {
  const h = await hcl();
  if (template.includes(MARKER)) return null;
  try {
    return await h.getExpressionAst(file, heredoc(template));
  } catch {
    return null;
  }
}

// NOTE: 32 templates per parser call, as one tuple of heredocs: a call costs ~0.8 ms whatever its size up to a
// few dozen templates, and ~0.4 ms per template beyond (measured: 1 → 0.83, 10 → 0.38, 50 → 0.45, 1000 → 0.65 ms
// per template), so batching cuts the cost of a cold parse about in half.
const BATCH = 32;

/** A template's syntax tree and the byte offset of the template's first byte in the text the parser saw. */
export interface TemplateTree {
  readonly tree: HclAstNode | null;
  /** Subtract from a node's `range` bytes to get offsets in the template's UTF-8 bytes. */
  readonly base: number;
}

const PREFIX_BYTES = Buffer.byteLength(`<<${MARKER}\n`);

/**
 * Syntax trees of template strings (JSON-syntax expression text), in input order, with the offset that maps node
 * ranges back into each template; tree null for one that does not parse. O(total text); ~0.4 ms per template.
 */
export async function parseTemplateTrees(file: string, templates: readonly string[]): Promise<TemplateTree[]> {
  if (templates.length === 0) return []; // NOTE: no parser load (~150 ms) for nothing
  const h = await hcl();
  const out: TemplateTree[] = [];
  for (let i = 0; i < templates.length; i += BATCH) {
    const chunk = templates.slice(i, i + BATCH);
    let tuple: HclAstNode | null = null;
    if (!chunk.some((t) => t.includes(MARKER))) {
      try {
        tuple = await h.getExpressionAst(file, `[\n${chunk.map(heredoc).join(',\n')}]`);
      } catch {
        tuple = null;
      }
    }
    if (tuple !== null && tuple.type === 'tuple' && tuple.children.length === chunk.length) {
      let at = 2; // "[\n"
      for (const [k, t] of chunk.entries()) {
        out.push({ tree: tuple.children[k] as HclAstNode, base: at + PREFIX_BYTES });
        at += Buffer.byteLength(heredoc(t)) + 2; // ",\n"
      }
    }
    // One template of the chunk does not parse: parse them one by one to find it.
    else for (const t of chunk) out.push({ tree: await parseExpressionAst(file, t), base: PREFIX_BYTES });
  }
  return out;
}

/**
 * Syntax trees of template strings (JSON-syntax expression text), in input order; null for one that does not
 * parse. O(total text); ~0.4 ms per template through the WebAssembly parser.
 */
export async function parseTemplateAsts(file: string, templates: readonly string[]): Promise<(HclAstNode | null)[]> {
  return (await parseTemplateTrees(file, templates)).map((t) => t.tree);
}
