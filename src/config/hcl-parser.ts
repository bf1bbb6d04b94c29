// The only door to HashiCorp's HCL parser (hclsyntax compiled to WebAssembly, npm `@cdktf/hcl2json`):
// `parseHcl` turns a `.tf`/`.tfvars` text into Terraform's JSON syntax (expressions kept as `${...}` source
// text); `parseExpressionAst` gives the syntax tree of one such expression. Parse errors become ConfigParseError.

import { ConfigParseError } from './config-errors.js';

/** A node of the expression syntax tree as hcl2json returns it (only the fields velocity reads). */
export interface HclAstNode {
  readonly type: string;
  readonly children: readonly HclAstNode[];
  readonly meta: {
    readonly value?: string;
    readonly name?: string;
    readonly type?: string;
    readonly fullAccessor?: string;
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

/**
 * Syntax tree of one expression in JSON-syntax form (`${...}` template text), or null if it does not parse.
 * Costs ~1 ms per call: used only for the rare expressions that call file functions.
 */
export async function parseExpressionAst(file: string, template: string): Promise<HclAstNode | null> {
  const h = await hcl();
  // A heredoc accepts any template text verbatim, quotes included.
  const marker = 'VELOCITY_EXPR_END';
  if (template.includes(marker)) return null;
  try {
    return await h.getExpressionAst(file, `<<${marker}\n${template}\n${marker}\n`);
  } catch {
    return null;
  }
}
