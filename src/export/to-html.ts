// HTML export: one self-contained page (graphology, sigma.js, the viewer inlined; no network at view time), laid out
// here ahead of time (ELK layered with module clusters, or packed blocks for big views), roles, search, focus mode,
// legend and savings line. Guarantees: same view, same bytes (no timestamps, deterministic layout, sorted dictionaries).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ExportInputError } from './export-errors.js';
import { NODE_ROLES, type ExportView } from './export-view.js';
import { elkLayout, type LayeredLayout } from './elk-layout.js';
import { forceLayout } from './force-layout.js';
import { HTML_VIEWER_SCRIPT } from './html-viewer-script.js';
import type { Positions } from './layered-layout.js';
import { ROLE_COLORS, ROLE_TEXT_COLORS } from './role-colors.js';

export interface HtmlOptions {
  /** @default 'velocity graph' */
  readonly title?: string;
  /**
   * Precomputed positions in view order. By default: ELK's layered left-to-right layout with module clusters up to
   * ELK_MAX_NODES nodes, above it per-group ForceAtlas2 blocks, and plain layered blocks for the biggest views.
   */
  readonly positions?: Positions;
}

/** An inlined library: its name@version (for the reader and for golden tests) and its source. */
interface Library {
  readonly id: string;
  readonly source: string;
}

let libraries: readonly Library[] | undefined;

/** Reads the browser builds of graphology and sigma from node_modules once per process. */
function loadLibraries(): readonly Library[] {
  if (libraries) return libraries;
  const require = createRequire(import.meta.url);
  const read = (pkg: string, file: string): Library => {
    try {
      const dist = dirname(require.resolve(pkg));
      const manifest = JSON.parse(readFileSync(join(dist, '..', 'package.json'), 'utf8')) as { version: string };
      // NOTE: `</script` inside inlined code would end the script element early; `<\/script` means the same in JS.
      const source = readFileSync(join(dist, file), 'utf8').replace(/<\/script/gi, '<\\/script');
      return { id: `${pkg}@${manifest.version}`, source };
    } catch (cause) {
      throw new ExportInputError('EXPORT_ASSET_MISSING', `cannot read ${pkg}/dist/${file} for the HTML page (is ${pkg} installed?): ${String(cause)}`);
    }
  };
  libraries = [read('graphology', 'graphology.umd.min.js'), read('sigma', 'sigma.min.js')];
  return libraries;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/** Dictionary-encodes a column: sorted distinct values and each row's index into them. O(V log V). */
function dictionary(values: readonly string[]): { values: string[]; codes: number[] } {
  const distinct = [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const code = new Map(distinct.map((v, i) => [v, i]));
  return { values: distinct, codes: values.map((v) => code.get(v) as number) };
}

/** The columnar payload the viewer reads: compact enough for 50,000 nodes. O(V + E). */
function payload(view: ExportView, positions: Positions | undefined, layered: LayeredLayout | undefined): string {
  const attrs = view.nodes.map((n) => n.attributes);
  const types = dictionary(attrs.map((a) => a.type));
  const modules = dictionary(attrs.map((a) => a.module));
  const groups = dictionary(attrs.map((a) => a.group));
  const hasRoles = view.focus.length > 0;
  const edges: number[] = [];
  for (const e of view.edges) edges.push(e.sourceIndex, e.targetIndex);
  const doc = {
    version: 1,
    summary: view.attributes.summary ?? null,
    focus: view.focus,
    groupBy: view.groupBy,
    stateSize: view.attributes.stateSize,
    roles: NODE_ROLES,
    roleColors: ROLE_COLORS,
    roleTextColors: ROLE_TEXT_COLORS,
    edgeSet: view.attributes.edgeSet,
    recordedEdges: view.attributes.recordedEdges,
    types: types.values,
    modules: modules.values,
    groups: groups.values,
    address: attrs.map((a) => a.address),
    type: types.codes,
    module: modules.codes,
    group: groups.codes,
    mode: attrs.map((a) => (a.mode === 'data' ? 1 : 0)),
    flags: attrs.map((a) => (a.tainted ? 1 : 0) | (a.deposedCount > 0 ? 2 : 0)),
    role: hasRoles ? attrs.map((a) => NODE_ROLES.indexOf(a.role ?? 'untouched')) : null,
    // layered: x, y are each node box's top-left corner (y downwards) and w, h its size; blocks: x, y are points.
    layout: layered ? 'layered' : 'blocks',
    x: layered ? layered.nodes.map((b) => b.x) : Array.from((positions as Positions).x),
    y: layered ? layered.nodes.map((b) => b.y) : Array.from((positions as Positions).y),
    w: layered ? layered.nodes.map((b) => b.w) : null,
    h: layered ? layered.nodes.map((b) => b.h) : null,
    clusters: layered ? layered.clusters.map((c) => [c.group, c.x, c.y, c.w, c.h, c.depth]) : null,
    extent: layered ? [layered.width, layered.height] : null,
    edges,
  };
  // NOTE: `<` escaped so no address can close the <script> element; JSON.parse reads \u003c back as `<`.
  return JSON.stringify(doc).replace(/</g, '\\u003c');
}

const STYLE = `
html, body { margin: 0; height: 100%; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; }
body { display: flex; }
#graph { flex: 1; height: 100%; background: #ffffff; }
#panel { width: 340px; height: 100%; overflow: auto; box-sizing: border-box; padding: 12px; border-left: 1px solid #ddd; background: #fafafa; }
h1 { font-size: 15px; margin: 0 0 6px; }
h2 { font-size: 12px; margin: 14px 0 4px; text-transform: uppercase; color: #666; }
#summary, .savings { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; background: #fff; border: 1px solid #ddd; padding: 6px; margin: 6px 0; word-break: break-word; }
#search { width: 100%; box-sizing: border-box; padding: 6px; font: inherit; }
#matches, #groups { list-style: none; padding: 0; margin: 4px 0; }
#matches li, #groups li { padding: 2px 4px; cursor: pointer; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 11px; word-break: break-all; }
#matches li:hover, #groups li:hover { background: #e8eefc; }
#groups { max-height: 240px; overflow: auto; }
#info { word-break: break-all; }
.legend-row { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
.swatch { width: 12px; height: 12px; border-radius: 6px; display: inline-block; border: 1px solid #999; }
#stats, #timing { color: #666; font-size: 11px; }
`;

/**
 * Serializes a view as a self-contained interactive page. O(V + E) plus the layout (elkLayout up to ELK_MAX_NODES, else forceLayout) and the
 * ~260 kB of inlined libraries. @throws ExportInputError (EXPORT_ASSET_MISSING) when graphology or sigma is absent.
 */
export function toHtml(view: ExportView, options: HtmlOptions = {}): string {
  const title = options.title ?? 'velocity graph';
  const layered = options.positions ? undefined : elkLayout(view);
  const positions = options.positions ?? (layered ? undefined : forceLayout(view));
  const libs = loadLibraries();
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="velocity">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<div id="graph"></div>',
    '<div id="panel">',
    `<h1>${escapeHtml(title)}</h1>`,
    '<div id="stats"><span id="node-count">0</span> nodes, <span id="edge-count">0</span> edges <span id="edge-note"></span></div>',
    '<div id="summary"></div>',
    '<input id="search" type="search" placeholder="Search an address, Enter to focus" autocomplete="off" spellcheck="false">',
    '<ul id="matches"></ul>',
    '<label style="display:none"><input id="all-edges" type="checkbox"> draw every edge (slow on big graphs)</label>',
    '<h2>Legend</h2>',
    '<div id="legend"></div>',
    '<h2>Selection</h2>',
    '<div id="info"></div>',
    '<div><h2>Groups</h2><ul id="groups"></ul></div>',
    '<div id="timing"></div>',
    '</div>',
    `<script type="application/json" id="velocity-data">${payload(view, positions, layered)}</script>`,
    ...libs.map((l) => `<script data-library="${l.id}">${l.source}</script>`),
    `<script data-library="velocity-viewer">${HTML_VIEWER_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
