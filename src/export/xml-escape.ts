// XML text and attribute escaping shared by the GraphML and GEXF writers.
// Guarantees: the result is well-formed in text and in double-quoted attributes, and parses back to the input.

/** Escapes &, <, >, " and the control characters XML 1.0 allows (tab, newline, carriage return). O(length). */
export function xmlEscape(s: string): string {
  return s.replace(/[&<>"\t\n\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : `&#${c.charCodeAt(0)};`,
  );
}
