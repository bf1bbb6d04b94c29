// GraphML export: one <node> per resource instance (id = address), one <edge> per dependency, every export
// attribute as typed <data>. Loads back with graphology-graphml with every attribute and type intact.
// Guarantees: fixed key order, view order for nodes and edges, no timestamps: same view, same bytes.

import type { ExportGraphAttributes, ExportNodeAttributes, ExportView } from './export-view.js';
import { xmlEscape } from './xml-escape.js';

type GraphmlType = 'string' | 'boolean' | 'long' | 'double';

interface KeySpec<T> {
  readonly id: string;
  readonly name: string;
  readonly type: GraphmlType;
  /** The value to write, or undefined when the element has none (the attribute is then absent). */
  readonly pick: (a: T) => string | number | boolean | undefined;
}

// NOTE: `indexKey` is a number for `count` and a string for `for_each`; GraphML types a key once, so two keys
// share the attribute name and each instance uses the one of its type. graphology-graphml maps by key id.
const NODE_KEYS: readonly KeySpec<ExportNodeAttributes>[] = [
  { id: 'label', name: 'label', type: 'string', pick: (a) => a.label },
  { id: 'address', name: 'address', type: 'string', pick: (a) => a.address },
  { id: 'mode', name: 'mode', type: 'string', pick: (a) => a.mode },
  { id: 'type', name: 'type', type: 'string', pick: (a) => a.type },
  { id: 'name', name: 'name', type: 'string', pick: (a) => a.name },
  { id: 'module', name: 'module', type: 'string', pick: (a) => a.module },
  { id: 'provider', name: 'provider', type: 'string', pick: (a) => a.provider },
  { id: 'indexKeyString', name: 'indexKey', type: 'string', pick: (a) => (typeof a.indexKey === 'string' ? a.indexKey : undefined) },
  { id: 'indexKeyNumber', name: 'indexKey', type: 'long', pick: (a) => (typeof a.indexKey === 'number' ? a.indexKey : undefined) },
  { id: 'tainted', name: 'tainted', type: 'boolean', pick: (a) => a.tainted },
  { id: 'deposedCount', name: 'deposedCount', type: 'long', pick: (a) => a.deposedCount },
  { id: 'group', name: 'group', type: 'string', pick: (a) => a.group },
  { id: 'role', name: 'role', type: 'string', pick: (a) => a.role },
];

const GRAPH_KEYS: readonly KeySpec<ExportGraphAttributes>[] = [
  { id: 'g_generator', name: 'generator', type: 'string', pick: (a) => a.generator },
  { id: 'g_groupBy', name: 'groupBy', type: 'string', pick: (a) => a.groupBy },
  { id: 'g_stateSize', name: 'stateSize', type: 'long', pick: (a) => a.stateSize },
  { id: 'g_edgeSet', name: 'edgeSet', type: 'string', pick: (a) => a.edgeSet },
  { id: 'g_recordedEdges', name: 'recordedEdges', type: 'long', pick: (a) => a.recordedEdges },
  { id: 'g_focus', name: 'focus', type: 'string', pick: (a) => a.focus },
  { id: 'g_refresh', name: 'refresh', type: 'long', pick: (a) => a.refresh },
  { id: 'g_savings', name: 'savings', type: 'double', pick: (a) => a.savings },
  { id: 'g_summary', name: 'summary', type: 'string', pick: (a) => a.summary },
];

function dataLines<T>(keys: readonly KeySpec<T>[], value: T, indent: string): string[] {
  const lines: string[] = [];
  for (const k of keys) {
    const v = k.pick(value);
    if (v !== undefined) lines.push(`${indent}<data key="${k.id}">${xmlEscape(String(v))}</data>`);
  }
  return lines;
}

function keyLines<T>(keys: readonly KeySpec<T>[], domain: 'node' | 'graph'): string[] {
  return keys.map((k) => `  <key id="${k.id}" for="${domain}" attr.name="${k.name}" attr.type="${k.type}"/>`);
}

/** Serializes a view as GraphML (directed). O(V + E). */
export function toGraphml(view: ExportView): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ...keyLines(GRAPH_KEYS, 'graph'),
    ...keyLines(NODE_KEYS, 'node'),
    '  <graph edgedefault="directed">',
    ...dataLines(GRAPH_KEYS, view.attributes, '    '),
  ];
  for (const n of view.nodes) {
    out.push(`    <node id="${xmlEscape(n.key)}">`, ...dataLines(NODE_KEYS, n.attributes, '      '), '    </node>');
  }
  for (const e of view.edges) {
    out.push(`    <edge id="${e.key}" source="${xmlEscape(e.source)}" target="${xmlEscape(e.target)}"/>`);
  }
  out.push('  </graph>', '</graphml>', '');
  return out.join('\n');
}
