// The contract every writer shares: each node's address, type, module, mode and (with a focus) role can be read
// back from the output. One reader per format; the same view and the same assertions for all of them.
import graphology from 'graphology';
import { parse as parseGexf } from 'graphology-gexf';
import { parse as parseGraphml } from 'graphology-graphml';
import { expect, it } from 'vitest';
import { NODE_ROLES, type ExportView } from '../../src/export/export-view.js';
import { toDot } from '../../src/export/to-dot.js';
import { toGexf } from '../../src/export/to-gexf.js';
import { toGraphml } from '../../src/export/to-graphml.js';
import { toHtml } from '../../src/export/to-html.js';
import { toJson } from '../../src/export/to-json.js';
import { toMermaid } from '../../src/export/to-mermaid.js';
import { graphExportView } from '../../src/plan/graph-export.js';
import { MODULES_FIXTURE, describeWithFixtures, fixtureGraph } from '../support/fixtures.js';

interface Carried {
  address: string;
  type: string;
  module: string;
  mode: string;
  role: string | undefined;
}

const fromGraph = (g: { forEachNode(cb: (k: string, a: Record<string, unknown>) => void): void }): Carried[] => {
  const out: Carried[] = [];
  g.forEachNode((_k, a) => out.push({ address: a['address'] as string, type: a['type'] as string, module: a['module'] as string, mode: a['mode'] as string, role: a['role'] as string | undefined }));
  return out;
};

/** DOT: unescape the escString values of each node statement. */
function fromDot(text: string): Carried[] {
  const value = (line: string, key: string) => {
    const m = new RegExp(`[ ,\\[]${key}="((?:[^"\\\\]|\\\\.)*)"`).exec(line);
    return m ? (m[1] as string).replace(/\\(.)/g, '$1') : undefined;
  };
  return text
    .split('\n')
    .filter((l) => /^\s+n\d+ \[/.test(l))
    .map((l) => ({ address: value(l, 'address') as string, type: value(l, 'type') as string, module: value(l, 'module') as string, mode: value(l, 'mode') as string, role: value(l, 'role') }));
}

/** Mermaid: the label (local inside a module subgraph) plus the enclosing subgraph give the address; the class gives the role. */
function fromMermaid(text: string): Carried[] {
  const unescape = (s: string) => s.replace(/#quot;/g, '"').replace(/#lt;/g, '<').replace(/#gt;/g, '>').replace(/#amp;/g, '&').replace(/#35;/g, '#');
  const classes = new Map<string, string>();
  for (const m of text.matchAll(/^ {2}class (\S+) (\S+)$/gm)) for (const id of (m[1] as string).split(',')) classes.set(id, m[2] as string);
  const stack: string[] = [];
  const out: Carried[] = [];
  for (const line of text.split('\n')) {
    const sub = /^\s+subgraph g\d+\["(.*)"\]$/.exec(line);
    if (sub) stack.push(unescape(sub[1] as string));
    else if (line.trim() === 'end') stack.pop();
    const node = /^\s+(n\d+)\["(.*)"\]$/.exec(line);
    if (!node) continue;
    const module = stack.at(-1) ?? '';
    const label = unescape(node[2] as string);
    const address = module === '' ? label : `${module}.${label}`;
    const local = address.slice(module === '' ? 0 : module.length + 1);
    const mode = local.startsWith('data.') ? 'data' : 'managed';
    const role = classes.get(node[1] as string);
    out.push({ address, type: (mode === 'data' ? local.slice(5) : local).split('.')[0] as string, module, mode, role: role === 'none' ? undefined : role });
  }
  return out;
}

/** HTML: the embedded columnar payload. */
function fromHtml(text: string): Carried[] {
  const json = /<script type="application\/json" id="velocity-data">(.*?)<\/script>/s.exec(text)?.[1] as string;
  const d = JSON.parse(json) as { address: string[]; types: string[]; type: number[]; modules: string[]; module: number[]; mode: number[]; roles: string[]; role: number[] | null };
  return d.address.map((address, i) => ({
    address,
    type: d.types[d.type[i] as number] as string,
    module: d.modules[d.module[i] as number] as string,
    mode: d.mode[i] === 1 ? 'data' : 'managed',
    role: d.role ? d.roles[d.role[i] as number] : undefined,
  }));
}

const READERS: Record<string, (v: ExportView) => Carried[]> = {
  json: (v) => fromGraph(graphology.DirectedGraph.from(JSON.parse(toJson(v)))),
  graphml: (v) => fromGraph(parseGraphml(graphology.DirectedGraph, toGraphml(v))),
  gexf: (v) => fromGraph(parseGexf(graphology.DirectedGraph, toGexf(v))),
  dot: (v) => fromDot(toDot(v)),
  mermaid: (v) => fromMermaid(toMermaid(v)),
  html: (v) => fromHtml(toHtml(v)),
};

describeWithFixtures('every format carries address, type, module, mode and role', () => {
  const graph = fixtureGraph(MODULES_FIXTURE);
  const views = {
    'with a focus': graphExportView(graph, { focus: ['module.vpc.aws_eip.nat[0]'] }),
    'without a focus': graphExportView(graph, {}),
  };
  for (const [format, read] of Object.entries(READERS)) {
    for (const [label, view] of Object.entries(views)) {
      it(`${format}, ${label}`, () => {
        const expected = view.nodes.map((n) => ({ address: n.key, type: n.attributes.type, module: n.attributes.module, mode: n.attributes.mode, role: n.attributes.role }));
        const carried = read(view).sort((a, b) => (a.address < b.address ? -1 : 1));
        expect(carried).toEqual(expected);
        if (label === 'with a focus') expect(new Set(carried.map((c) => c.role))).toEqual(new Set(NODE_ROLES.filter((r) => view.nodes.some((n) => n.attributes.role === r))));
      });
    }
  }
});
