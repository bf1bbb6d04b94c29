// The browser half of the HTML export: plain ES2020 run in the page after graphology and sigma. It reads the
// embedded columnar data, builds the graph with the precomputed positions (layered pages: boxes and clusters drawn
// over sigma's frame), and wires search, focus mode, the legend and the savings line. Guarantees: no network
// access; cones are BFS over a CSR built once, O(cone) each.
// Kept as a string (no backticks or `${` inside) because tsc has no DOM types and the page must not need a build.

/** The viewer program; it expects `graphology`, `Sigma` and `#velocity-data` on the page. */
export const HTML_VIEWER_SCRIPT = String.raw`
(function () {
  'use strict';
  var t0 = performance.now();
  var data = JSON.parse(document.getElementById('velocity-data').textContent);
  var n = data.address.length;
  performance.mark('velocity:data-parsed');
  var ROLE_COLORS = data.roleColors;
  var CONE = { selected: '#111111', upstream: '#17a2b8', downstream: '#c2185b', group: '#6f42c1', faded: '#ececec' };
  var PALETTE = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];
  var big = n > 5000;
  // Layered pages carry one box per node (top-left x, y downwards, w, h) and the module clusters around them.
  var layered = data.layout === 'layered';

  // CSR adjacency in both directions from the flat edge list [s0, t0, s1, t1, ...].
  var m = data.edges.length / 2;
  function csr(from, to) {
    var off = new Uint32Array(n + 1), tgt = new Uint32Array(m), eid = new Uint32Array(m), i, k;
    for (i = 0; i < m; i++) off[data.edges[2 * i + from] + 1]++;
    for (i = 0; i < n; i++) off[i + 1] += off[i];
    var fill = off.slice(0, n);
    for (i = 0; i < m; i++) { k = fill[data.edges[2 * i + from]]++; tgt[k] = data.edges[2 * i + to]; eid[k] = i; }
    return { off: off, tgt: tgt, eid: eid };
  }
  var down = csr(0, 1), up = csr(1, 0);
  var stamp = new Uint32Array(n), epoch = 0;
  function walk(roots, adj) {
    epoch++;
    var out = [], q, e, v, w;
    for (q = 0; q < roots.length; q++) if (stamp[roots[q]] !== epoch) { stamp[roots[q]] = epoch; out.push(roots[q]); }
    for (q = 0; q < out.length; q++) {
      v = out[q];
      for (e = adj.off[v]; e < adj.off[v + 1]; e++) { w = adj.tgt[e]; if (stamp[w] !== epoch) { stamp[w] = epoch; out.push(w); } }
    }
    return out;
  }
  function savingsLine(refresh, total) {
    var s = total === 0 ? 0 : 1 - refresh / total;
    return 'Refreshing state... [Velocity: ' + refresh + '/' + total + ' resources (' + (Math.floor(s * 1000) / 10).toFixed(1) + '% savings)]';
  }
  // The change cone of one node, as the engine counts it: tainted instances and data sources upstream are read too.
  function changeOf(i) {
    var refresh = walk([i], down);
    var inRefresh = new Uint8Array(n), k;
    for (k = 0; k < refresh.length; k++) inRefresh[refresh[k]] = 1;
    var upstream = walk(refresh, up), extra = 0;
    for (k = 0; k < upstream.length; k++) {
      var j = upstream[k];
      if (!inRefresh[j] && (data.mode[j] === 1 || (data.flags[j] & 1))) extra++;
    }
    return refresh.length + extra;
  }

  function baseColor(i) {
    if (data.role) return ROLE_COLORS[data.roles[data.role[i]]];
    return PALETTE[data.group[i] % PALETTE.length];
  }
  // Inside a module box the box names the module: labels drop the module prefix (the panel shows full addresses).
  function labelOf(i) {
    var a = data.address[i], mod = data.modules[data.module[i]];
    return data.groupBy === 'module' && mod !== '' && a.indexOf(mod + '.') === 0 ? a.slice(mod.length + 1) : a;
  }
  var graph = new graphology.DirectedGraph();
  var size = layered ? 2 : n > 20000 ? 1.5 : n > 2000 ? 2.5 : n > 200 ? 4 : 7;
  for (var i = 0; i < n; i++) {
    // NOTE: a layered node's point sits on the middle of its box's left side, where incoming edges (from the left)
    // end: the arrowhead stays visible beside the opaque box drawn over the point.
    var px = data.x[i], py = layered ? -(data.y[i] + data.h[i] / 2) : data.y[i];
    graph.addNode(String(i), { x: px, y: py, size: !layered && data.role && data.role[i] === 0 ? size * 2 : size, color: baseColor(i), label: labelOf(i) });
  }
  var EDGE = layered ? { size: 1, color: '#8a8a8a' } : { size: 0.5, color: '#c8c8c8' };
  function addEdge(e) { graph.addDirectedEdgeWithKey(String(e), String(data.edges[2 * e]), String(data.edges[2 * e + 1]), { size: EDGE.size, color: EDGE.color }); }
  // NOTE: big graphs keep only the edges being looked at in the renderer: even hidden, 90,000 edges cost seconds
  // per frame in software WebGL. Small graphs hold every edge and hide through the reducer.
  if (!big) for (var e = 0; e < m; e++) addEdge(e);
  function showEdges(nodes, adj) {
    for (var q = 0; q < nodes.length; q++) {
      var v = nodes[q];
      for (var k = adj.off[v]; k < adj.off[v + 1]; k++) if (stamp[adj.tgt[k]] === epoch && !graph.hasEdge(String(adj.eid[k]))) addEdge(adj.eid[k]);
    }
  }

  performance.mark('velocity:graph-built');
  var state = { selected: -1, mark: null, group: -1 };
  var showAllEdges = false;
  var settings = {
    renderEdgeLabels: false,
    defaultEdgeType: big ? 'line' : 'arrow',
    hideEdgesOnMove: big,
    hideLabelsOnMove: big,
    labelRenderedSizeThreshold: big ? 10 : 6,
    labelDensity: 0.5,
    // NOTE: z-ordering sorts every node on each refresh; only worth it when there are few.
    zIndex: !big,
    nodeReducer: function (node, attrs) {
      if (state.mark === null) return attrs;
      var k = +node, mk = state.mark[k], res = Object.assign({}, attrs);
      if (mk === 0) { res.color = CONE.faded; res.label = ''; res.zIndex = 0; return res; }
      res.zIndex = mk === 1 ? 3 : 2;
      res.color = mk === 1 ? CONE.selected : mk === 2 ? CONE.upstream : mk === 3 ? CONE.downstream : CONE.group;
      if (mk === 1) { res.size = attrs.size * 2; res.forceLabel = true; res.highlighted = true; }
      else if (state.few) res.forceLabel = true;
      return res;
    },
    edgeReducer: function (edge, attrs) {
      if (state.mark === null) return attrs;
      var k = +edge, s = state.mark[data.edges[2 * k]], t = state.mark[data.edges[2 * k + 1]];
      var keep = (s === 2 || s === 1) && (t === 2 || t === 1) || (s === 1 || s === 3) && (t === 3 || t === 1) || (s === 4 && t === 4);
      if (!keep) return Object.assign({}, attrs, { hidden: true });
      return Object.assign({}, attrs, { color: s === 4 ? CONE.group : (t === 2 || s === 2) ? CONE.upstream : CONE.downstream, size: 1 });
    },
  };
  // NOTE: one GL point per node instead of a triangle: about 4x faster frames at 50,000 nodes in software WebGL.
  if (big) settings.nodeProgramClasses = { circle: Sigma.rendering.NodePointProgram };
  if (layered) {
    // Boxes and their labels are drawn after each frame (below); sigma's own labels and hover boxes are off.
    settings.renderLabels = false;
    settings.defaultDrawNodeHover = function () {};
    settings.stagePadding = 16;
  }
  var renderer = new Sigma(graph, document.getElementById('graph'), settings);
  // The camera frames the whole drawing (boxes and clusters), not just the node points.
  if (layered) renderer.setCustomBBox({ x: [0, data.extent[0]], y: [-data.extent[1], 0] });

  performance.mark('velocity:renderer-created');

  // Module (or type) boxes and names, drawn under the labels after each frame; only boxes big enough on screen.
  var boxes = [];
  if (data.groupBy !== 'none') {
    for (var b = 0; b < data.groups.length; b++) boxes.push([Infinity, Infinity, -Infinity, -Infinity, 0]);
    for (var p = 0; p < n; p++) {
      var bx = boxes[data.group[p]];
      if (data.x[p] < bx[0]) bx[0] = data.x[p];
      if (data.y[p] < bx[1]) bx[1] = data.y[p];
      if (data.x[p] > bx[2]) bx[2] = data.x[p];
      if (data.y[p] > bx[3]) bx[3] = data.y[p];
      bx[4]++;
    }
  }
  // The viewport rectangle of a layout box (x, y top-left, y downwards): [x0, y0, x1, y1].
  function screenRect(x, y, w, h) {
    var a = renderer.graphToViewport({ x: x, y: -y }), c = renderer.graphToViewport({ x: x + w, y: -(y + h) });
    return [Math.min(a.x, c.x), Math.min(a.y, c.y), Math.max(a.x, c.x), Math.max(a.y, c.y)];
  }
  // Text cut to fit a width, monospace (one character is 0.6 em): '…' marks a cut, nothing when even that won't fit.
  function fitText(s, width, font) {
    var k = Math.floor(width / (font * 0.6));
    if (k >= s.length) return s;
    return k < 4 ? '' : s.slice(0, k - 1) + '\u2026';
  }
  function drawLayered() {
    var ctx = renderer.getCanvases().labels.getContext('2d');
    var dims = renderer.getDimensions(), k, r;
    ctx.save();
    ctx.textBaseline = 'middle';
    for (k = 0; k < data.clusters.length; k++) {
      var cl = data.clusters[k];
      r = screenRect(cl[1], cl[2], cl[3], cl[4]);
      if (r[2] < 0 || r[3] < 0 || r[0] > dims.width || r[1] > dims.height) continue;
      ctx.strokeStyle = '#9a9a9a';
      ctx.lineWidth = 1;
      ctx.fillStyle = cl[5] % 2 === 1 ? 'rgba(120, 120, 160, 0.05)' : 'rgba(255, 255, 255, 0.6)';
      ctx.fillRect(r[0], r[1], r[2] - r[0], r[3] - r[1]);
      ctx.strokeRect(r[0], r[1], r[2] - r[0], r[3] - r[1]);
      // The title lives in the cluster's top padding (22 units): its font follows the zoom so it never spills.
      var tf = Math.min(12, (r[3] - r[1]) / cl[4] * 22 * 0.6);
      if (tf >= 5) {
        ctx.font = tf + 'px ui-monospace, Menlo, Consolas, monospace';
        ctx.fillStyle = '#444444';
        ctx.fillText(fitText(cl[0] + ' (' + (clusterSize[k] || 0) + ')', r[2] - r[0] - 8, tf), r[0] + 4, r[1] + (r[3] - r[1]) / cl[4] * 11);
      }
    }
    for (k = 0; k < n; k++) {
      r = screenRect(data.x[k], data.y[k], data.w[k], data.h[k]);
      if (r[2] < 0 || r[3] < 0 || r[0] > dims.width || r[1] > dims.height) continue;
      var d = renderer.getNodeDisplayData(String(k));
      var fill = d ? d.color : baseColor(k);
      var faded = fill === CONE.faded;
      ctx.fillStyle = fill;
      ctx.fillRect(r[0], r[1], Math.max(1, r[2] - r[0]), Math.max(1, r[3] - r[1]));
      ctx.lineWidth = state.selected === k ? 3 : 1;
      ctx.strokeStyle = state.selected === k ? '#000000' : (data.flags[k] ? '#b00000' : faded ? '#d8d8d8' : '#555555');
      ctx.strokeRect(r[0], r[1], r[2] - r[0], r[3] - r[1]);
      // NOTE: boxes were sized for an 11-unit monospace font plus 6 units each side, so the font follows the zoom
      // and a label never leaves its box; below 4.5 px it is noise and is left out.
      var scale = (r[3] - r[1]) / data.h[k], font = 11 * scale;
      if (font < 4.5) continue;
      var t = fitText(labelOf(k), r[2] - r[0] - 12 * scale + 0.5, font);
      if (t === '') continue;
      ctx.font = font + 'px ui-monospace, Menlo, Consolas, monospace';
      ctx.fillStyle = faded ? '#9a9a9a' : textColor(fill);
      ctx.fillText(t, r[0] + 6 * scale, (r[1] + r[3]) / 2);
    }
    ctx.restore();
  }
  // Dark fills get white text: the role colours of changed and static, the palette's darker entries.
  function textColor(fill) {
    var v = parseInt(fill.slice(1), 16), lum = 0.299 * (v >> 16) + 0.587 * ((v >> 8) & 255) + 0.114 * (v & 255);
    return lum < 140 ? '#ffffff' : '#111111';
  }
  var clusterSize = [];
  if (layered) {
    // Resources inside each cluster (nested ones included), from box containment.
    for (var ci = 0; ci < data.clusters.length; ci++) {
      var cc = data.clusters[ci], cnt = 0;
      for (var ni = 0; ni < n; ni++) if (data.x[ni] >= cc[1] && data.y[ni] >= cc[2] && data.x[ni] + data.w[ni] <= cc[1] + cc[3] && data.y[ni] + data.h[ni] <= cc[2] + cc[4]) cnt++;
      clusterSize.push(cnt);
    }
  }
  renderer.on('afterRender', function () {
    if (layered) { drawLayered(); return; }
    if (boxes.length === 0) return;
    var ctx = renderer.getCanvases().labels.getContext('2d');
    var dims = renderer.getDimensions(), drawn = 0;
    ctx.save();
    ctx.lineWidth = 1;
    ctx.strokeStyle = '#c9c9c9';
    ctx.fillStyle = '#555555';
    ctx.font = '11px system-ui, sans-serif';
    for (var g = 0; g < boxes.length && drawn < 400; g++) {
      var bb = boxes[g];
      if (data.groups[g] === '' || bb[4] === 0) continue;
      var a = renderer.graphToViewport({ x: bb[0], y: bb[3] }), c = renderer.graphToViewport({ x: bb[2], y: bb[1] });
      var x0 = Math.min(a.x, c.x) - 10, y0 = Math.min(a.y, c.y) - 10, x1 = Math.max(a.x, c.x) + 10, y1 = Math.max(a.y, c.y) + 10;
      if (x1 < 0 || y1 < 0 || x0 > dims.width || y0 > dims.height || Math.abs(c.x - a.x) < 40) continue;
      ctx.strokeRect(x0, y0, x1 - x0, y1 - y0);
      ctx.fillText(data.groups[g] + ' (' + bb[4] + ')', x0 + 2, y0 - 3);
      drawn++;
    }
    ctx.restore();
  });
  var el = function (id) { return document.getElementById(id); };
  function text(id, s) { el(id).textContent = s; }
  text('node-count', String(n));
  text('edge-count', String(m));
  if (data.edgeSet === 'reduced' && data.recordedEdges !== m) text('edge-note', '(transitive reduction of ' + data.recordedEdges + ' recorded)');
  text('summary', data.summary || 'No focus: colours show ' + (data.groupBy === 'none' ? 'the whole graph' : data.groupBy + 's') + '.');

  function legendRow(color, label, count) {
    var row = document.createElement('div');
    row.className = 'legend-row';
    var sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = color;
    row.appendChild(sw);
    row.appendChild(document.createTextNode(label + (count === undefined ? '' : ' (' + count + ')')));
    return row;
  }
  function drawLegend() {
    var box = el('legend');
    box.textContent = '';
    if (state.mark !== null) {
      if (state.group >= 0) box.appendChild(legendRow(CONE.group, 'group ' + (data.groups[state.group] || '(root)')));
      else {
        box.appendChild(legendRow(CONE.selected, 'selected'));
        box.appendChild(legendRow(CONE.upstream, 'top cone (upstream: what it depends on)'));
        box.appendChild(legendRow(CONE.downstream, 'bottom cone (downstream: blast radius)'));
      }
      box.appendChild(legendRow(CONE.faded, 'outside'));
      return;
    }
    if (data.role) {
      var counts = [0, 0, 0, 0];
      for (var k = 0; k < n; k++) counts[data.role[k]]++;
      for (var r = 0; r < data.roles.length; r++) box.appendChild(legendRow(ROLE_COLORS[data.roles[r]], data.roles[r], counts[r]));
    } else {
      box.appendChild(legendRow('#888888', 'colour = ' + data.groupBy + ' (' + data.groups.length + ' groups)'));
    }
  }

  function describe(i, upCount, downCount) {
    var rows = [
      ['address', data.address[i]],
      ['type', (data.mode[i] === 1 ? 'data.' : '') + data.types[data.type[i]]],
      ['module', data.modules[data.module[i]] || '(root)'],
      ['mode', data.mode[i] === 1 ? 'data' : 'managed'],
    ];
    if (data.role) rows.push(['role', data.roles[data.role[i]]]);
    if (data.flags[i] & 1) rows.push(['tainted', 'yes']);
    if (data.flags[i] & 2) rows.push(['deposed', 'yes']);
    rows.push(['upstream', String(upCount - 1)], ['downstream', String(downCount - 1)]);
    var box = el('info');
    box.textContent = '';
    rows.forEach(function (r) {
      var d = document.createElement('div');
      var b = document.createElement('b');
      b.textContent = r[0] + ': ';
      d.appendChild(b);
      d.appendChild(document.createTextNode(r[1]));
      box.appendChild(d);
    });
    var s = document.createElement('div');
    s.className = 'savings';
    s.id = 'node-savings';
    s.textContent = 'If it changed: ' + savingsLine(changeOf(i), data.stateSize);
    box.appendChild(s);
  }

  function select(i, moveCamera) {
    var ups = walk([i], up);
    if (big && !showAllEdges) { graph.clearEdges(); showEdges(ups, up); }
    var downs = walk([i], down);
    if (big && !showAllEdges) showEdges(downs, down);
    var mark = new Uint8Array(n), k;
    for (k = 0; k < ups.length; k++) mark[ups[k]] = 2;
    for (k = 0; k < downs.length; k++) mark[downs[k]] = 3;
    mark[i] = 1;
    state = { selected: i, mark: mark, group: -1, upstream: ups.length - 1, downstream: downs.length - 1, few: ups.length + downs.length <= 60 };
    describe(i, ups.length, downs.length);
    drawLegend();
    renderer.refresh({ skipIndexation: true });
    if (moveCamera) renderer.getCamera().animate(coneCamera(i, ups.concat(downs)), { duration: 300 });
  }
  // Framed-graph rectangle of node k: its box when layered, else its point.
  function framedRect(k) {
    if (!layered) { var d = renderer.getNodeDisplayData(String(k)); return [d.x, d.y, d.x, d.y]; }
    var a = renderer.viewportToFramedGraph(renderer.graphToViewport({ x: data.x[k], y: -data.y[k] }));
    var c = renderer.viewportToFramedGraph(renderer.graphToViewport({ x: data.x[k] + data.w[k], y: -(data.y[k] + data.h[k]) }));
    return [Math.min(a.x, c.x), Math.min(a.y, c.y), Math.max(a.x, c.x), Math.max(a.y, c.y)];
  }
  // Focus mode's camera: centred on the node, zoomed out just enough that its whole cone fits the viewport.
  function coneCamera(i, members) {
    var c = framedRect(i), cx = (c[0] + c[2]) / 2, cy = (c[1] + c[3]) / 2, rx = (c[2] - c[0]) / 2, ry = (c[3] - c[1]) / 2;
    for (var q = 0; q < members.length; q++) {
      var r = framedRect(members[q]);
      rx = Math.max(rx, cx - r[0], r[2] - cx);
      ry = Math.max(ry, cy - r[1], r[3] - cy);
    }
    // What the viewport shows now, in framed units; it scales linearly with the camera ratio.
    var dims = renderer.getDimensions(), ratio = renderer.getCamera().ratio;
    var tl = renderer.viewportToFramedGraph({ x: 0, y: 0 }), br = renderer.viewportToFramedGraph({ x: dims.width, y: dims.height });
    var visW = Math.abs(br.x - tl.x), visH = Math.abs(br.y - tl.y);
    var need = ratio * Math.max((2 * rx) / visW, (2 * ry) / visH) * 1.1;
    return { x: cx, y: cy, ratio: Math.min(4, Math.max(big ? 0.002 : 0.02, need)) };
  }
  function selectGroup(g) {
    var mark = new Uint8Array(n), members = [];
    epoch++;
    for (var k = 0; k < n; k++) if (data.group[k] === g) { mark[k] = 4; members.push(k); stamp[k] = epoch; }
    var c = members.length;
    if (big && !showAllEdges) { graph.clearEdges(); showEdges(members, down); }
    state = { selected: -1, mark: mark, group: g, few: members.length <= 100 };
    el('info').textContent = (data.groups[g] || '(root)') + ': ' + c + ' resources';
    drawLegend();
    renderer.refresh({ skipIndexation: true });
    // Move the camera onto the group's members: their box in framed-graph units (the whole graph is 1 wide).
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (var q = 0; q < members.length; q++) {
      var d = renderer.getNodeDisplayData(String(members[q]));
      if (!d) continue;
      if (d.x < x0) x0 = d.x; if (d.x > x1) x1 = d.x; if (d.y < y0) y0 = d.y; if (d.y > y1) y1 = d.y;
    }
    if (x0 <= x1) renderer.getCamera().animate({ x: (x0 + x1) / 2, y: (y0 + y1) / 2, ratio: Math.min(1, Math.max(0.01, Math.max(x1 - x0, y1 - y0) * 1.4)) }, { duration: 300 });
  }
  function clear(skipRefresh) {
    state = { selected: -1, mark: null, group: -1 };
    if (big && !showAllEdges && graph.size > 0) graph.clearEdges();
    el('info').textContent = 'Click a node or search an address to see its cones.';
    drawLegend();
    if (!skipRefresh) renderer.refresh({ skipIndexation: true });
  }
  renderer.on('clickNode', function (ev) { select(+ev.node, layered); });
  // A click inside a layered box selects its node (the sigma point is only the box's left edge).
  function boxAt(vx, vy) {
    if (!layered) return -1;
    var g = renderer.viewportToGraph({ x: vx, y: vy }), gx = g.x, gy = -g.y;
    for (var k = 0; k < n; k++) if (gx >= data.x[k] && gx <= data.x[k] + data.w[k] && gy >= data.y[k] && gy <= data.y[k] + data.h[k]) return k;
    return -1;
  }
  // Hovering a layered box shows its full address (labels are shortened or hidden when zoomed out).
  if (layered) {
    var container = document.getElementById('graph'), hovered = -1;
    renderer.getMouseCaptor().on('mousemove', function (ev) {
      var k = boxAt(ev.x, ev.y);
      if (k === hovered) return;
      hovered = k;
      container.title = k >= 0 ? data.address[k] : '';
    });
  }
  renderer.on('clickStage', function (ev) {
    var k = boxAt(ev.event.x, ev.event.y);
    if (k >= 0) select(k, true); else clear(false);
  });
  var edgesToggle = el('all-edges');
  if (big) {
    edgesToggle.parentNode.style.display = '';
    edgesToggle.addEventListener('change', function () {
      showAllEdges = edgesToggle.checked;
      graph.clearEdges();
      if (showAllEdges) for (var k = 0; k < m; k++) addEdge(k);
      else if (state.selected >= 0) { showEdges(walk([state.selected], up), up); showEdges(walk([state.selected], down), down); }
    });
  }

  // Search: exact address first, then substring matches (case-insensitive), at most 20 shown.
  var byAddress = new Map();
  for (var a = 0; a < n; a++) byAddress.set(data.address[a], a);
  var lower = null;
  function matches(q) {
    var exact = byAddress.get(q);
    var out = exact === undefined ? [] : [exact];
    if (lower === null) lower = data.address.map(function (s) { return s.toLowerCase(); });
    var ql = q.toLowerCase();
    for (var k = 0; k < n && out.length < 20; k++) if (k !== exact && lower[k].indexOf(ql) !== -1) out.push(k);
    return out;
  }
  var input = el('search'), list = el('matches');
  function showMatches() {
    list.textContent = '';
    var q = input.value.trim();
    if (q === '') return;
    matches(q).forEach(function (k) {
      var li = document.createElement('li');
      li.textContent = data.address[k];
      li.addEventListener('click', function () { input.value = data.address[k]; list.textContent = ''; select(k, true); });
      list.appendChild(li);
    });
  }
  input.addEventListener('input', showMatches);
  input.addEventListener('keydown', function (ev) {
    if (ev.key !== 'Enter') return;
    var found = matches(input.value.trim());
    list.textContent = '';
    if (found.length > 0) { input.value = data.address[found[0]]; select(found[0], true); }
    else el('info').textContent = 'No resource matches "' + input.value + '".';
  });

  // Groups, largest first (at most 200 listed); a click highlights the group's members.
  var sizes = new Map();
  for (var g = 0; g < n; g++) sizes.set(data.group[g], (sizes.get(data.group[g]) || 0) + 1);
  var order = Array.from(sizes.keys()).sort(function (p, q) { return sizes.get(q) - sizes.get(p) || p - q; });
  var groupsBox = el('groups');
  if (data.groupBy === 'none') groupsBox.parentNode.style.display = 'none';
  order.slice(0, 200).forEach(function (gi) {
    var li = document.createElement('li');
    li.textContent = (data.groups[gi] || '(root)') + ' (' + sizes.get(gi) + ')';
    li.addEventListener('click', function () { selectGroup(gi); });
    groupsBox.appendChild(li);
  });
  if (order.length > 200) { var more = document.createElement('li'); more.textContent = '... ' + (order.length - 200) + ' more'; groupsBox.appendChild(more); }

  drawLegend();
  clear();
  performance.mark('velocity:ui-wired');
  window.__velocity = {
    ready: false,
    renderer: renderer,
    graph: graph,
    select: function (address) { var k = byAddress.get(address); if (k !== undefined) select(k, true); return k !== undefined; },
    state: function () { return { selected: state.selected < 0 ? null : data.address[state.selected], upstream: state.upstream, downstream: state.downstream }; },
    group: function () { return state.group < 0 ? null : data.groups[state.group]; },
    colorOf: function (address) { var d = renderer.getNodeDisplayData(String(byAddress.get(address))); return d ? d.color : null; },
    viewportOf: function (address) {
      var k = byAddress.get(address), dims = renderer.getDimensions();
      if (k === undefined) return null;
      if (layered) {
        var r = screenRect(data.x[k], data.y[k], data.w[k], data.h[k]);
        return { x: (r[0] + r[2]) / 2, y: (r[1] + r[3]) / 2, width: dims.width, height: dims.height };
      }
      var d = renderer.getNodeDisplayData(String(k));
      if (!d) return null;
      var p = renderer.framedGraphToViewport(d);
      return { x: p.x, y: p.y, width: dims.width, height: dims.height };
    },
    layout: function () { return data.layout; },
    // Viewport rectangles [x0, y0, x1, y1] of every node box and cluster (layered pages), for layout checks.
    boxes: function () {
      if (!layered) return null;
      var nodes = [], clusters = [], k;
      for (k = 0; k < n; k++) nodes.push({ address: data.address[k], rect: screenRect(data.x[k], data.y[k], data.w[k], data.h[k]) });
      for (k = 0; k < data.clusters.length; k++) { var c = data.clusters[k]; clusters.push({ label: c[0], depth: c[5], rect: screenRect(c[1], c[2], c[3], c[4]) }); }
      return { nodes: nodes, clusters: clusters };
    },
    // Addresses focus mode shows (not dimmed), sorted; null outside focus mode.
    shown: function () {
      if (state.mark === null) return null;
      var out = [];
      for (var k = 0; k < n; k++) if (state.mark[k] !== 0) out.push(data.address[k]);
      return out.sort();
    },
  };
  requestAnimationFrame(function () {
    requestAnimationFrame(function () {
      performance.mark('velocity:interactive');
      var now = performance.now();
      window.__velocity.ready = true;
      window.__velocity.readyMs = now;
      text('timing', 'interactive ' + Math.round(now) + ' ms after navigation (viewer ' + Math.round(now - t0) + ' ms)');
    });
  });
})();
`;
