// A module nested 5,000 deep renders in every format through the CLI (it used to exit 70, "Maximum call stack
// size exceeded", in DOT and Mermaid): the clusters/subgraphs nest 5,000 deep and balance, the deepest instance is
// there and its module path can be read back from the labels, and the text stays linear in the state's size.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-harness.js';

const DEPTH = 5000;
const scratch = mkdtempSync(join(tmpdir(), 'velocity-deep-module-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// module.m.module.k["x"].module.m... with a resource at every 1,000th level and one in the root they depend on.
const steps: string[] = [];
const resources: unknown[] = [];
const provider = 'provider["terraform.io/builtin/terraform"]';
for (let d = 1; d <= DEPTH; d++) {
  steps.push(d % 2 === 1 ? 'module.m' : 'module.k["x"]');
  if (d % 1000 === 0) {
    resources.push({ module: steps.join('.'), mode: 'managed', type: 'terraform_data', name: 'r', provider, instances: [{ schema_version: 0, attributes: { id: `r${d}` }, dependencies: ['terraform_data.top'] }] });
  }
}
resources.push({ mode: 'managed', type: 'terraform_data', name: 'top', provider, instances: [{ schema_version: 0, attributes: { id: 'top' } }] });
const stateText = JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'deep', outputs: {}, resources });
const statePath = join(scratch, 'deep.tfstate');
writeFileSync(statePath, stateText);
const deepestModule = steps.join('.');
const deepest = `${deepestModule}.terraform_data.r`;

async function graph(...args: string[]): Promise<string> {
  const r = await runCli(['graph', '--state', statePath, ...args], { env: { VELOCITY_CACHE: '0' }, cwd: scratch });
  expect(r.code, r.stderr).toBe(0);
  // Linear, not quadratic, in the state: the labels do not repeat every ancestor's path.
  expect(r.stdout.length).toBeLessThan(40 * stateText.length);
  return r.stdout;
}

/** Follows braces and labels: the deepest nesting, whether it balances, and each node's module read from labels. */
function readDot(text: string): { maxDepth: number; balanced: boolean; moduleOfNode: Map<string, string> } {
  const modules: string[] = [];
  const moduleOfNode = new Map<string, string>();
  let depth = 0;
  let maxDepth = 0;
  let pendingLabel = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('subgraph cluster_')) {
      depth++;
      maxDepth = Math.max(maxDepth, depth);
      pendingLabel = true;
    } else if (pendingLabel && line.startsWith('label=')) {
      const shown = JSON.parse(line.slice('label='.length, -1)) as string;
      const parent = modules.at(-1) ?? '';
      modules.push(shown.startsWith('…') ? `${parent}.${shown.slice(1)}` : shown);
      pendingLabel = false;
    } else if (line === '}') {
      if (depth === 0) return { maxDepth, balanced: modules.length === 0, moduleOfNode };
      depth--;
      modules.pop();
    } else if (/^n\d+ \[/.test(line)) {
      moduleOfNode.set(/^n\d+/.exec(line)![0], modules.at(-1) ?? '');
    }
  }
  return { maxDepth, balanced: false, moduleOfNode };
}

describe('a module nested 5,000 deep', () => {
  it('DOT: 5,000 nested clusters that balance; the deepest instance sits in the cluster of its module', async () => {
    const text = await graph('--format', 'dot');
    const { maxDepth, balanced, moduleOfNode } = readDot(text);
    expect(balanced).toBe(true);
    expect(maxDepth).toBe(DEPTH);
    const line = text.split('\n').find((l) => l.includes(`address="${deepest.replace(/"/g, '\\"')}"`));
    expect(line).toBeDefined();
    expect(moduleOfNode.get(/n\d+/.exec(line!)![0])).toBe(deepestModule);
    expect(text).toMatch(/n\d+ -> n\d+;/);
  });

  it('Mermaid: 5,000 nested subgraphs that balance; labels read back to the deepest address', async () => {
    const text = await graph('--format', 'mermaid');
    const unescape = (s: string) => s.replace(/#quot;/g, '"').replace(/#lt;/g, '<').replace(/#gt;/g, '>').replace(/#amp;/g, '&').replace(/#35;/g, '#');
    const stack: string[] = [];
    let maxDepth = 0;
    const addresses: string[] = [];
    for (const line of text.split('\n')) {
      const sub = /^\s+subgraph g\d+\["(.*)"\]$/.exec(line);
      if (sub) {
        const shown = unescape(sub[1]!);
        stack.push(shown.startsWith('…') ? `${stack.at(-1)}.${shown.slice(1)}` : shown);
        maxDepth = Math.max(maxDepth, stack.length);
      } else if (line.trim() === 'end') {
        expect(stack.pop()).toBeDefined();
      }
      const node = /^\s+n\d+\["(.*)"\]$/.exec(line);
      if (node) addresses.push(stack.length === 0 ? unescape(node[1]!) : `${stack.at(-1)}.${unescape(node[1]!)}`);
    }
    expect(stack).toEqual([]);
    expect(maxDepth).toBe(DEPTH);
    expect(addresses).toContain(deepest);
    expect(addresses).toHaveLength(DEPTH / 1000 + 1);
  });

  it.each(['json', 'graphml', 'gexf', 'html'])('%s: every instance, the deepest included', async (format) => {
    const text = await graph('--format', format);
    const escaped = format === 'graphml' || format === 'gexf' ? deepest.replace(/"/g, '&quot;') : JSON.stringify(deepest).slice(1, -1);
    expect(text).toContain(escaped);
  });

  it('a cone focused on the deepest instance renders too', async () => {
    const text = await graph('--format', 'dot', '--focus', deepest, '--cone', 'top');
    expect(readDot(text).balanced).toBe(true);
    expect(text).toContain('address="terraform_data.top"');
  });
});
