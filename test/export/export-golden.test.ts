import { it } from 'vitest';
import { exportView } from '../../src/export/export-view.js';
import { toMermaid } from '../../src/export/to-mermaid.js';
import { graphExport, graphExportView, type GraphFormat } from '../../src/plan/graph-export.js';
import { EKS_FIXTURE, MODULES_FIXTURE, describeWithFixtures, fixtureGraph } from '../support/fixtures.js';
import { expectGolden } from '../support/golden.js';

const FOCUS = ['module.vpc.aws_vpc.this[0]'];

/** The inlined libraries are someone else's bytes: the golden page keeps their name, version and size only. */
function withoutLibraries(html: string): string {
  return html.replace(/<script data-library="([^"]+)">([\s\S]*?)<\/script>/g, (all, id: string, body: string) =>
    id === 'velocity-viewer' ? all : `<script data-library="${id}">/* ${body.length} bytes */</script>`,
  );
}

describeWithFixtures('golden exports of a real state (EKS example, focus on the VPC)', () => {
  const graph = fixtureGraph(EKS_FIXTURE);
  for (const format of ['dot', 'mermaid', 'json', 'graphml', 'gexf', 'html'] as GraphFormat[]) {
    it(`${format} matches its golden file`, () => {
      const text = graphExport(graph, { format, focus: FOCUS });
      expectGolden(`eks-vpc.${format}`, format === 'html' ? withoutLibraries(text) : text);
    });
  }

  it('DOT without focus, grouped by type, matches its golden file', () => {
    expectGolden('eks-by-type.dot', graphExport(graph, { format: 'dot', groupBy: 'type' }));
  });

  it('Mermaid collapses modules above the threshold (golden)', () => {
    const view = graphExportView(graph, { focus: FOCUS });
    expectGolden('eks-vpc-collapsed.mermaid', toMermaid(view, { collapseAbove: 10 }));
  });

  it('counted module instances and nested modules (inframap example) match their golden DOT and Mermaid', () => {
    const g = fixtureGraph(MODULES_FIXTURE);
    const view = exportView(g.toGraphology(), { groupBy: 'module' });
    expectGolden('repeated-modules.dot', graphExport(g, { format: 'dot' }));
    expectGolden('repeated-modules.mermaid', toMermaid(view));
  });
});
