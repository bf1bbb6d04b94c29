import { loadStateGraph } from './src/graph/load-state-graph.ts';
import { synthesizeSubWorkspace } from './src/inject/synthesize-sub-workspace.ts';
import { loadConfig } from './src/config/load-config.ts';
import { diskReader } from './src/config/config-reader.ts';
import { ParseCache } from './src/config/parse-cache.ts';
import { loadConfigDocuments } from './src/inject/config-documents.ts';
import { rmSync } from 'node:fs';
const dir = process.argv[2]!; const refresh = process.argv.slice(3);
let t = performance.now(); const lap = (w: string) => { const n = performance.now(); console.log(w, (n - t).toFixed(0), 'ms'); t = n; };
const { graph } = await loadStateGraph(`${dir}/terraform.tfstate`); lap('load');
const tree = await loadConfig(diskReader(dir), await new ParseCache(`${dir}/.velocity/parse-cache.json`).load()); lap('loadConfig');
await loadConfigDocuments(dir, tree); lap('docs');
await loadConfigDocuments(dir, tree); lap('docs again');
graph.resolve([refresh[0]!.replace(/\["d07"\]$/, '')]); lap('resolve');
for (let i = 0; i < 2; i++) { rmSync('/tmp/sub/x', { recursive: true, force: true });
const r = await synthesizeSubWorkspace({ graph, statePath: `${dir}/terraform.tfstate`, refresh, creates: [], workingDir: dir, outDir: '/tmp/sub/x', workspace: 'default', binary: 'terraform', env: process.env });
lap('synth ' + r.kind); }
