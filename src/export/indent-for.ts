// Indentation of nested clusters and subgraphs in the text exports (DOT, Mermaid): two spaces a level.
// Guarantees: bounded, so the text stays linear in its lines however deep modules nest.

/**
 * Indentation for nesting level `depth`. O(1) (bounded). NOTE: capped at 32 levels: past that, indenting every
 * line by its depth would make the text quadratic in the depth (a module nested 5,000 deep); braces carry the nesting.
 */
export function indentFor(depth: number): string {
  return '  '.repeat(Math.min(depth, 32));
}
