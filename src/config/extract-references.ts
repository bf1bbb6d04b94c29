// Finds the references template strings (Terraform's JSON-syntax expression text) make to named values:
// `var.x`, `local.x`, `module.m.out`, `data.t.n`, `path.module`, `terraform.workspace`, `each`, other blocks
// (`TYPE.NAME`), and the files they read: read from the HCL traversals of the parsed expression, never from text.
// Guarantee: never under-approximates (a template the parser refuses is read by a sound textual scan).

import { parseTemplateAsts, type HclAstNode } from './hcl-parser.js';

/** A call of a file-reading function. `path` is its literal path (may start with `${path.module}/` etc.); absent = computed. */
export interface FileCall {
  readonly fn: string;
  readonly path?: string;
}

/** What one template string references. */
export interface TemplateFacts {
  /** Sorted, unique: `var.X`, `local.X`, `module.M.OUT` (or `module.M`), `data.T.N`, `path.X`, `terraform.workspace`, `each`. */
  readonly refs: readonly string[];
  /** Other blocks it names, `TYPE.NAME` (resources, or names that are not blocks at all, e.g. `for` variables). Sorted. */
  readonly blocks: readonly string[];
  readonly files: readonly FileCall[];
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

const NOT_BLOCKS = new Set(['var', 'local', 'module', 'data', 'path', 'terraform', 'each', 'count', 'self']);

type Step = { readonly type: string; readonly segment?: string };
const name = (s: Step | undefined): string | undefined => (s?.type === 'nameTraversal' ? s.segment : undefined);

function traversal(steps: readonly Step[], refs: Set<string>, blocks: Set<string>): void {
  const root = name(steps[0]);
  const first = name(steps[1]);
  if (root === undefined) return;
  switch (root) {
    case 'var':
    case 'local':
    case 'path':
      if (first !== undefined) refs.add(`${root}.${first}`);
      return;
    case 'terraform':
      if (first === 'workspace') refs.add('terraform.workspace');
      return;
    case 'each':
      refs.add('each');
      return;
    case 'data': {
      const second = name(steps[2]);
      if (first !== undefined && second !== undefined) refs.add(`data.${first}.${second}`);
      return;
    }
    case 'module': {
      if (first === undefined) return;
      // `module.M.OUT` or `module.M[KEY].OUT`; otherwise (`module.M`, `module.M[*]`) the whole module.
      const out = name(steps[2]) ?? (steps[2]?.type === 'indexTraversal' ? name(steps[3]) : undefined);
      refs.add(out === undefined ? `module.${first}` : `module.${first}.${out}`);
      return;
    }
    default:
      if (!NOT_BLOCKS.has(root) && first !== undefined) blocks.add(`${root}.${first}`);
  }
}

function staticPath(arg: HclAstNode): string | undefined {
  if (arg.type === 'literalValue') return arg.meta.type === 'string' ? arg.meta.value : undefined;
  if (arg.type !== 'template' && arg.type !== 'templateWrap') return undefined;
  let path = '';
  for (const part of arg.children) {
    if (part.type === 'literalValue' && part.meta.type === 'string') path += part.meta.value ?? '';
    else if (part.type === 'scopeTraversal' && /^path\.(module|root|cwd)$/.test(part.meta.fullAccessor ?? ''))
      path += `\${${part.meta.fullAccessor}}`;
    else return undefined;
  }
  // Escapes and template directives in a path: not worth interpreting, count the path as computed.
  return /[\\%]/.test(path) || path.includes('$${') ? undefined : path;
}

function walk(root: HclAstNode, refs: Set<string>, blocks: Set<string>, files: FileCall[]): void {
  // Iterative: a deeply nested expression must not overflow the stack.
  const stack: HclAstNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as HclAstNode;
    if (node.type === 'scopeTraversal' && node.meta.traversal !== undefined) traversal(node.meta.traversal, refs, blocks);
    else if (node.type === 'function' && node.meta.name !== undefined && FILE_FUNCTIONS.has(node.meta.name)) {
      const first = node.children[0];
      const path = first === undefined || node.meta.name === 'fileset' ? undefined : staticPath(first);
      files.push(path === undefined ? { fn: node.meta.name } : { fn: node.meta.name, path });
    }
    for (const c of node.children) stack.push(c);
  }
}

// The sound textual scan, only for a template the parser refuses (Terraform would refuse it too): any root
// name followed by `.NAME` counts, whatever precedes it, and any file function name counts as a computed read.
const TEXT_REF = /(var|local|module|data|path|terraform|each)\s*\.\s*([\p{L}_][\p{L}\p{N}_-]*)(?:\s*\.\s*([\p{L}_][\p{L}\p{N}_-]*))?/gu;
const TEXT_FILE = /(file|filebase64|filebase64sha256|filebase64sha512|fileexists|filemd5|filesha1|filesha256|filesha512|fileset|templatefile)\s*\(/gu;

function scanText(text: string, refs: Set<string>, files: FileCall[]): void {
  for (const m of text.matchAll(TEXT_REF)) {
    const [, root, first, second] = m as unknown as [string, string, string, string | undefined];
    if (root === 'data' || root === 'module') {
      refs.add(`${root}.${first}`); // unknown to the resolver as a data source: harmless; a whole module for module
      if (second !== undefined) refs.add(`${root}.${first}.${second}`);
    } else if (root === 'each') refs.add('each');
    else if (root === 'terraform') refs.add('terraform.workspace');
    else refs.add(`${root}.${first}`);
  }
  for (const m of text.matchAll(TEXT_FILE)) files.push({ fn: m[1] as string });
}

// NOTE: the one case read without the parser, because it is the most common one and the parser costs ~0.4 ms
// per template: literal text plus interpolations that are each a bare dotted name, `${a.b.c}` (no space, no
// index, no call). By HCL's template grammar such an interpolation is exactly the scope traversal a.b.c, so the
// result is the parser's. Anything else (whitespace, brackets, operators, directives, escapes) goes to the parser.
const LONE = /\$\{([\p{L}_][\p{L}\p{N}_-]*(?:\.[\p{L}_][\p{L}\p{N}_-]*)*)\}/gu;

function loneTraversals(text: string): Step[][] | undefined {
  const rest = text.replace(LONE, '');
  if (rest.includes('${') || rest.includes('%{') || text.includes('$${') || text.includes('%%{')) return undefined;
  return [...text.matchAll(LONE)].map((m) => (m[1] as string).split('.').map((segment) => ({ type: 'nameTraversal', segment })));
}

/** Whether a string is a template that can reference anything: without `${` or `%{` it is a literal. */
export function isTemplate(text: string): boolean {
  return text.includes('${') || text.includes('%{');
}

const NONE: TemplateFacts = Object.freeze({ refs: Object.freeze([]), blocks: Object.freeze([]), files: Object.freeze([]) });

function sortedFiles(calls: readonly FileCall[]): FileCall[] {
  const seen = new Map(calls.map((c) => [`${c.fn}\u0000${c.path ?? '\u0001'}`, c]));
  return [...seen.keys()].sort().map((k) => seen.get(k) as FileCall);
}

/**
 * The references and file reads of each distinct template string, parsed by HashiCorp's parser. Strings
 * that are not templates (no `${`, no `%{`) reference nothing and cost nothing. O(total text), ~0.4 ms per
 * distinct template (see parseTemplateAsts).
 */
export async function analyzeTemplates(file: string, texts: readonly string[]): Promise<Map<string, TemplateFacts>> {
  const out = new Map<string, TemplateFacts>();
  const todo: string[] = [];
  for (const t of texts) {
    if (out.has(t)) continue;
    out.set(t, NONE);
    if (isTemplate(t)) todo.push(t);
  }
  const parse: string[] = [];
  for (const t of todo) {
    const lone = loneTraversals(t);
    if (lone === undefined) {
      parse.push(t);
      continue;
    }
    const refs = new Set<string>();
    const blocks = new Set<string>();
    for (const steps of lone) traversal(steps, refs, blocks);
    out.set(t, { refs: [...refs].sort(), blocks: [...blocks].sort(), files: [] });
  }
  const asts = await parseTemplateAsts(file, parse);
  parse.forEach((t, i) => {
    const refs = new Set<string>();
    const blocks = new Set<string>();
    const files: FileCall[] = [];
    const ast = asts[i];
    if (ast === null || ast === undefined) scanText(t, refs, files);
    else walk(ast, refs, blocks, files);
    out.set(t, { refs: [...refs].sort(), blocks: [...blocks].sort(), files: sortedFiles(files) });
  });
  return out;
}

/** Union of several templates' facts, sorted and unique. O(their size). */
export function unionFacts(facts: readonly TemplateFacts[]): TemplateFacts {
  const nonEmpty = facts.filter((f) => f !== NONE);
  if (nonEmpty.length === 0) return NONE;
  if (nonEmpty.length === 1) return nonEmpty[0] as TemplateFacts;
  const refs = new Set<string>();
  const blocks = new Set<string>();
  const files: FileCall[] = [];
  for (const f of nonEmpty) {
    for (const r of f.refs) refs.add(r);
    for (const b of f.blocks) blocks.add(b);
    files.push(...f.files);
  }
  return { refs: [...refs].sort(), blocks: [...blocks].sort(), files: sortedFiles(files) };
}

/** References of one template string (convenience over analyzeTemplates). O(text). */
export async function extractReferences(text: string): Promise<string[]> {
  return [...((await analyzeTemplates('expression', [text])).get(text) as TemplateFacts).refs];
}
