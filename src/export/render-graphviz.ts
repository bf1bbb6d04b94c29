// Renders DOT text to SVG or PNG with Graphviz's `dot`, found on PATH. A missing `dot` is a typed error naming the
// package to install (`graphviz`); a failing `dot` is a typed error carrying its exit status and stderr.
// Guarantees: no shell, bounded run time, the output bytes exactly as `dot` wrote them.

import { spawnSync } from 'node:child_process';
import { ExportInputError, GraphvizMissingError } from './export-errors.js';

/** Picture formats Graphviz draws for `velocity graph`. */
export type ImageFormat = 'svg' | 'png';
export const IMAGE_FORMATS: readonly ImageFormat[] = ['svg', 'png'];

export interface RenderGraphvizOptions {
  /** Environment for `dot` (its PATH is where `dot` is looked up). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default 120000 */
  readonly timeoutMs?: number;
}

/**
 * Runs `dot -T<format>` on `dot` and returns what it wrote. Cost: Graphviz's layout (network simplex, roughly
 * O(V·E) on big graphs; under a second for the real fixtures once reduced).
 * @throws GraphvizMissingError (EXPORT_GRAPHVIZ_MISSING, `package` = 'graphviz') when `dot` is not on PATH, EXPORT_GRAPHVIZ_FAILED when it fails.
 */
export function renderGraphviz(dot: string, format: ImageFormat, options: RenderGraphvizOptions = {}): Buffer {
  const result = spawnSync('dot', [`-T${format}`], {
    input: dot,
    env: options.env ?? process.env,
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 1 << 30,
  });
  const code = (result.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') {
    throw new GraphvizMissingError(`--format ${format} needs Graphviz's \`dot\` on PATH: install the package \`graphviz\` (apt-get install graphviz, brew install graphviz), or export --format dot`);
  }
  if (result.error || result.status !== 0) {
    const why = result.error ? String(code ?? result.error.message) : `exit status ${result.status ?? result.signal}`;
    throw new ExportInputError('EXPORT_GRAPHVIZ_FAILED', `dot -T${format} failed (${why}): ${result.stderr?.toString('utf8').trim().slice(0, 500) ?? ''}`);
  }
  return result.stdout;
}
