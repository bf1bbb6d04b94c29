import { loadStateGraph } from './src/graph/load-state-graph.ts';
import { synthesizeSubWorkspace } from './src/inject/synthesize-sub-workspace.ts';
import { rmSync } from 'node:fs';
const dir = process.argv[2]!; const out = process.argv[3]!; const refresh = process.argv.slice(4);
rmSync(out, { recursive: true, force: true });
const { graph } = await loadStateGraph(`${dir}/terraform.tfstate`, { cache: false });
const r = await synthesizeSubWorkspace({ graph, statePath: `${dir}/terraform.tfstate`, refresh, creates: [], workingDir: dir, outDir: out, workspace: 'default', binary: 'terraform', env: process.env });
console.log(JSON.stringify(r, null, 1));
