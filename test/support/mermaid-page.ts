// Test support: the real Mermaid library in a headless Chromium page, for tests that check what Mermaid draws from
// velocity's output. One page per test file; `render` returns counts read from the SVG Mermaid produced.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { launchBrowser, type BrowserSession } from './browser.js';

const mermaidScript = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
declare const mermaid: {
  initialize(o: object): void;
  parse(t: string): Promise<unknown>;
  render(id: string, t: string): Promise<{ svg: string }>;
};
declare const DOMParser: new () => {
  parseFromString(s: string, type: string): {
    querySelectorAll(q: string): ArrayLike<{ textContent: string | null }>;
    documentElement: { getAttribute(a: string): string | null };
  };
};

/** What Mermaid drew: boxes, clusters, edge paths, the viewBox area, and each box's text. */
export interface MermaidDrawing {
  readonly nodes: number;
  readonly clusters: number;
  readonly edges: number;
  readonly area: number;
  readonly labels: string[];
}

export interface MermaidPage {
  readonly browser: BrowserSession;
  /** Parses (a syntax error rejects) and renders `text`. */
  render(text: string): Promise<MermaidDrawing>;
  close(): Promise<void>;
}

export async function openMermaidPage(): Promise<MermaidPage> {
  const browser = await launchBrowser();
  const page: Page = await browser.newPage();
  await page.setContent('<!DOCTYPE html><html><body></body></html>');
  await page.addScriptTag({ path: mermaidScript });
  return {
    browser,
    render: (text) =>
      page.evaluate(async (t) => {
        mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', maxEdges: 5000, maxTextSize: 1_000_000, flowchart: { htmlLabels: false } });
        await mermaid.parse(t);
        const { svg } = await mermaid.render(`m${Math.floor(Math.random() * 1e9)}`, t);
        const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
        const box = (doc.documentElement.getAttribute('viewBox') ?? '0 0 0 0').split(/\s+/).map(Number);
        return {
          nodes: doc.querySelectorAll('g.node').length,
          clusters: doc.querySelectorAll('g.cluster').length,
          edges: doc.querySelectorAll('path.flowchart-link').length,
          area: (box[2] ?? 0) * (box[3] ?? 0),
          labels: Array.from(doc.querySelectorAll('g.node')).map((n) => (n.textContent ?? '').trim()),
        };
      }, text),
    close: () => browser.close(),
  };
}
