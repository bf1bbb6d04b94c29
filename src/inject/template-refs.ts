// The references a JSON-syntax template string (`"${aws_x.y[each.key].id}"`) makes, with the character range of
// each reference's head (`aws_x.y`, `data.t.n`, `module.m`, `var.v`, `local.l`), and rewriting those heads.
// Guarantees: ranges come from HCL's own syntax tree (never a regex over expression text); a template the parser
// refuses is reported as such, so callers fall back instead of guessing.

import { parseTemplateTrees, type HclAstNode } from '../config/hcl-parser.js';

/** How a reference to a resource or module call is used right after its head. */
export type RefUse =
  /** `x.y["k"]` / `x.y[0]`: one instance named by a constant key. */
  | { readonly kind: 'const'; readonly key: string | number }
  /** `x.y[each.key]`: one instance named by a computed key. */
  | { readonly kind: 'dynamic' }
  /** `x.y`, `x.y[*]`, `x.y.attr` on a resource without keys, a for expression over it: the whole value. */
  | { readonly kind: 'whole' };

export interface TemplateRef {
  readonly kind: 'var' | 'local' | 'module' | 'resource' | 'data' | 'path' | 'workspace';
  /** `var`/`local`: the name; `module`: the call name; `resource`: `TYPE.NAME`; `data`: `data.TYPE.NAME`; `path`: cwd/module/root. */
  readonly name: string;
  /** `module.M.OUT` / `module.M[K].OUT`: OUT. */
  readonly output?: string;
  readonly use: RefUse;
  /** Character offsets in the template of the head to replace (`TYPE.NAME`, `data.T.N`, `module.M`...). */
  readonly start: number;
  readonly end: number;
}

/** Whether a JSON-syntax string is a template with interpolations or directives (else it is a literal). O(length). */
export function isTemplate(text: string): boolean {
  return /(^|[^$])\$\{|(^|[^%])%\{/.test(text);
}

const NOT_RESOURCES = new Set(['var', 'local', 'module', 'data', 'path', 'terraform', 'each', 'count', 'self']);

function keyOf(segment: string | undefined): string | number | undefined {
  if (segment === undefined) return undefined;
  if (/^-?\d+$/.test(segment)) return Number(segment);
  try {
    const v: unknown = JSON.parse(segment);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

type Step = NonNullable<HclAstNode['meta']['traversal']>[number];

function use(steps: readonly Step[], at: number, parent: HclAstNode | undefined, node: HclAstNode): RefUse {
  const next = steps[at];
  if (next?.type === 'indexTraversal') {
    const key = keyOf(next.segment);
    return key === undefined ? { kind: 'dynamic' } : { kind: 'const', key };
  }
  if (next === undefined && parent?.type === 'index' && parent.children[0] === node) return { kind: 'dynamic' };
  return { kind: 'whole' };
}

/** Converts byte offsets of a UTF-8 text to character offsets. */
function charOffset(bytes: Buffer, byte: number): number {
  return bytes.subarray(0, byte).toString('utf8').length;
}

function collect(node: HclAstNode, parent: HclAstNode | undefined, text: Buffer, base: number, out: TemplateRef[]): void {
  if (node.type === 'scopeTraversal') {
    const steps = node.meta.traversal ?? [];
    const name = (i: number): string | undefined => (steps[i]?.type === 'nameTraversal' ? steps[i]?.segment : undefined);
    const root = name(0);
    const first = name(1);
    const span = (last: number): { start: number; end: number } | undefined => {
      const a = steps[0]?.range?.start.byte;
      const b = steps[last]?.range?.end.byte;
      return a === undefined || b === undefined ? undefined : { start: charOffset(text, a - base), end: charOffset(text, b - base) };
    };
    if (root !== undefined && first !== undefined) {
      let ref: TemplateRef | undefined;
      const s1 = span(1);
      if (root === 'var' && s1) ref = { kind: 'var', name: first, use: { kind: 'whole' }, ...s1 };
      else if (root === 'local' && s1) ref = { kind: 'local', name: first, use: { kind: 'whole' }, ...s1 };
      else if (root === 'path' && s1) ref = { kind: 'path', name: first, use: { kind: 'whole' }, ...s1 };
      else if (root === 'terraform' && first === 'workspace' && s1) ref = { kind: 'workspace', name: first, use: { kind: 'whole' }, ...s1 };
      else if (root === 'module' && s1) {
        const u = use(steps, 2, parent, node);
        const out = name(2) ?? (steps[2]?.type === 'indexTraversal' ? name(3) : undefined);
        ref = { kind: 'module', name: first, ...(out !== undefined ? { output: out } : {}), use: u, ...s1 };
      } else if (root === 'data') {
        const second = name(2);
        const s2 = span(2);
        if (second !== undefined && s2) ref = { kind: 'data', name: `data.${first}.${second}`, use: use(steps, 3, parent, node), ...s2 };
      } else if (!NOT_RESOURCES.has(root) && s1) ref = { kind: 'resource', name: `${root}.${first}`, use: use(steps, 2, parent, node), ...s1 };
      if (ref) out.push(ref);
    }
  }
  for (const c of node.children ?? []) collect(c, node, text, base, out);
}

/** A template's references and whether it is one interpolation (`"${EXPR}"`, which evaluates to EXPR's value). */
export interface TemplateInfo {
  readonly refs: readonly TemplateRef[];
  /** EXPR's text when the template is exactly `${EXPR}`; else undefined. */
  readonly inner?: string;
}

/** A template's references, or null when it does not parse. */
export type TemplateRefs = TemplateInfo | null;

/**
 * References of many templates, in input order (null for one the parser refuses). O(total text), ~0.4 ms a
 * template through the WebAssembly parser; literal strings (no `${`/`%{`) cost nothing.
 */
export async function templateRefs(file: string, templates: readonly string[]): Promise<TemplateRefs[]> {
  const out: TemplateRefs[] = templates.map(() => ({ refs: [] }));
  const parsed: number[] = [];
  for (const [i, t] of templates.entries()) if (isTemplate(t)) parsed.push(i);
  const trees = await parseTemplateTrees(file, parsed.map((i) => templates[i] as string));
  for (const [k, i] of parsed.entries()) {
    const tree = trees[k];
    if (!tree || tree.tree === null) {
      out[i] = null;
      continue;
    }
    const refs: TemplateRef[] = [];
    // NOTE: the parser saw the template inside a heredoc; `base` maps its byte offsets back into the template.
    collect(tree.tree, undefined, Buffer.from(templates[i] as string, 'utf8'), tree.base, refs);
    const text = templates[i] as string;
    // NOTE: inside the parser's heredoc, `${EXPR}` is a template of EXPR and the heredoc's own final newline.
    const parts = tree.tree.children;
    const tail = parts[1]?.range;
    const wrapped = tree.tree.type === 'template' && parts.length === 2 && parts[1]?.type === 'literalValue' &&
      tail !== undefined && tail.end.byte - tail.start.byte === 1 && text.startsWith('${') && text.endsWith('}');
    out[i] = { refs: refs.sort((a, b) => a.start - b.start), ...(wrapped ? { inner: text.slice(2, -1) } : {}) };
  }
  return out;
}

/** `template` with each reference head that `replace` answers replaced by that text. O(length + refs). */
export function rewriteTemplate(template: string, refs: readonly TemplateRef[], replace: (ref: TemplateRef) => string | undefined): string {
  let out = '';
  let at = 0;
  for (const r of refs) {
    const text = replace(r);
    if (text === undefined || r.start < at) continue;
    out += template.slice(at, r.start) + text;
    at = r.end;
  }
  return out + template.slice(at);
}
