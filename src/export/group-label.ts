// The label of a cluster (DOT) or subgraph (Mermaid): the group id itself, or for a module path too long to read
// (a module nested hundreds deep) the part below its parent group, marked with a leading '…'.
// Guarantees: the full id is recovered by joining labels from the outermost group inwards; total size is linear.

/** Longest group id shown whole. Below the parent's id, the rest of a longer one is what the reader needs. */
export const GROUP_LABEL_LIMIT = 1000;

/**
 * `id` when at most GROUP_LABEL_LIMIT characters long (or not below `parentId`), else `…` + the part after
 * `parentId.`. O(length). NOTE: without this, a module nested 5,000 deep has 5,000 labels each repeating its
 * ancestors' path: 100+ MB of text for a state of 200 KB.
 */
export function groupLabel(id: string, parentId: string): string {
  if (id.length <= GROUP_LABEL_LIMIT || parentId === '' || !id.startsWith(`${parentId}.`)) return id;
  return `…${id.slice(parentId.length + 1)}`;
}
