// GEXF 1.3 export (Gephi's format): nodes with label = address and typed attvalues for every export attribute,
// directed edges upstream → downstream. Loads back with graphology-gexf with every node attribute intact.
// Guarantees: fixed attribute ids, view order, no lastmodifieddate: same view, same bytes.

import type { ExportNodeAttributes, ExportView } from './export-view.js';
import { xmlEscape } from './xml-escape.js';

interface AttributeSpec {
  /** Numeric id: graphology-gexf (like Gephi) reads the title only for numeric ids. */
  readonly id: number;
  readonly title: string;
  readonly type: 'string' | 'boolean' | 'long';
  readonly pick: (a: ExportNodeAttributes) => string | number | boolean | undefined;
}

// NOTE: `indexKey` is a number for `count` and a string for `for_each`; a GEXF attribute has one type, so two
// attributes share the title and each instance uses the one of its type.
const NODE_ATTRIBUTES: readonly AttributeSpec[] = [
  { id: 0, title: 'address', type: 'string', pick: (a) => a.address },
  { id: 1, title: 'mode', type: 'string', pick: (a) => a.mode },
  { id: 2, title: 'type', type: 'string', pick: (a) => a.type },
  { id: 3, title: 'name', type: 'string', pick: (a) => a.name },
  { id: 4, title: 'module', type: 'string', pick: (a) => a.module },
  { id: 5, title: 'provider', type: 'string', pick: (a) => a.provider },
  { id: 6, title: 'indexKey', type: 'string', pick: (a) => (typeof a.indexKey === 'string' ? a.indexKey : undefined) },
  { id: 7, title: 'indexKey', type: 'long', pick: (a) => (typeof a.indexKey === 'number' ? a.indexKey : undefined) },
  { id: 8, title: 'tainted', type: 'boolean', pick: (a) => a.tainted },
  { id: 9, title: 'deposedCount', type: 'long', pick: (a) => a.deposedCount },
  { id: 10, title: 'group', type: 'string', pick: (a) => a.group },
  { id: 11, title: 'role', type: 'string', pick: (a) => a.role },
];

/** Serializes a view as GEXF 1.3. The graph's description is the savings line when there is a focus. O(V + E). */
export function toGexf(view: ExportView): string {
  const description = view.attributes.summary ?? `velocity dependency graph, grouped by ${view.groupBy}`;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">',
    '  <meta>',
    '    <creator>velocity</creator>',
    `    <description>${xmlEscape(description)}</description>`,
    '  </meta>',
    '  <graph defaultedgetype="directed" mode="static">',
    '    <attributes class="node" mode="static">',
    ...NODE_ATTRIBUTES.map((a) => `      <attribute id="${a.id}" title="${a.title}" type="${a.type}"/>`),
    '    </attributes>',
    '    <nodes>',
  ];
  for (const n of view.nodes) {
    out.push(`      <node id="${xmlEscape(n.key)}" label="${xmlEscape(n.attributes.label)}">`, '        <attvalues>');
    for (const a of NODE_ATTRIBUTES) {
      const v = a.pick(n.attributes);
      if (v !== undefined) out.push(`          <attvalue for="${a.id}" value="${xmlEscape(String(v))}"/>`);
    }
    out.push('        </attvalues>', '      </node>');
  }
  out.push('    </nodes>', '    <edges>');
  for (const e of view.edges) {
    out.push(`      <edge id="${e.key}" source="${xmlEscape(e.source)}" target="${xmlEscape(e.target)}" type="directed"/>`);
  }
  out.push('    </edges>', '  </graph>', '</gexf>', '');
  return out.join('\n');
}
