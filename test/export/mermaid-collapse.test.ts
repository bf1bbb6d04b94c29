import { describe, expect, it } from 'vitest';
import { toMermaid } from '../../src/export/to-mermaid.js';
import { graphExportView } from '../../src/plan/graph-export.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { parseState } from '../../src/state/parse-state.js';
import { customerKey, syntheticState } from '../support/synthetic-state.js';

const graph = StateGraph.fromState(parseState(syntheticState(40 + 20 * 30)));
const focus = `module.customer["${customerKey(3)}"].terraform_data.site`;

describe('Mermaid export stays readable by collapsing large modules', () => {
  it('modules above collapseAbove become one node, edges between them deduplicated, roles kept', () => {
    const view = graphExportView(graph, { focus: [focus] });
    const text = toMermaid(view, { collapseAbove: 10, maxNodes: 1000 });
    expect(text.startsWith('flowchart LR\n')).toBe(true);
    const collapsed = [...text.matchAll(/^ {2}(g\d+)\[\["module\.customer\[#quot;(c\d+)#quot;\] \((\d+) resources\)"\]\]$/gm)];
    expect(collapsed).toHaveLength(30);
    for (const m of collapsed) expect(m[3]).toBe('20');
    // 40 root nodes stay visible, every customer is one box.
    expect([...text.matchAll(/^ {2}n\d+\[/gm)]).toHaveLength(40);
    const edges = [...text.matchAll(/^ {2}(\S+) --> (\S+)$/gm)].map((m) => `${m[1]}>${m[2]}`);
    expect(new Set(edges).size).toBe(edges.length);
    // The focus's customer is drawn in the `changed` class, other customers are `untouched` or `static`.
    const focusBox = collapsed.find((m) => m[2] === customerKey(3))?.[1];
    expect(text).toMatch(new RegExp(`^ {2}class [^\\n]*\\b${focusBox}\\b[^\\n]* changed$`, 'm'));
  });

  it('a big view collapses its largest modules until at most maxNodes boxes remain', () => {
    const view = graphExportView(graph, {});
    const text = toMermaid(view, { collapseAbove: 1000, maxNodes: 300 });
    const boxes = [...text.matchAll(/^\s+(n|g)\d+\[/gm)].length;
    expect(boxes).toBeLessThanOrEqual(300);
    expect(boxes).toBeGreaterThan(40);
    expect(text).not.toContain('undefined');
  });

  it('past the budget, all instances of one module call become one box (for_each over thousands of customers)', () => {
    const many = StateGraph.fromState(parseState(syntheticState(40 + 20 * 400)));
    const text = toMermaid(graphExportView(many, { focus: [focus] }));
    const boxes = [...text.matchAll(/^ {2}(g\d+)\[\["(.*)"\]\]$/gm)];
    expect(boxes.map((b) => b[2])).toEqual(['module.customer (400 instances, 8000 resources)']);
    expect([...text.matchAll(/^ {2}n\d+\[/gm)]).toHaveLength(40);
    // The call box holds the focus, so it carries the strongest role.
    expect(text).toMatch(new RegExp(`^ {2}class [^\\n]*\\b${boxes[0]?.[1]}\\b[^\\n]* changed$`, 'm'));
    expect([...text.matchAll(/-->/g)].length).toBeLessThanOrEqual(40 * 2);
  });

  it('small modules stay expanded as nested subgraphs with local labels', () => {
    const view = graphExportView(graph, { cone: 'bottom', focus: [focus] });
    const text = toMermaid(view);
    expect(text).toContain(`subgraph g0["module.customer[#quot;${customerKey(3)}#quot;]"]`);
    expect(text).toContain('["terraform_data.device[0]"]');
    expect(text.split('\n').filter((l) => l.trim() === 'end')).toHaveLength(1);
  });
});
