// XML text and attribute escaping shared by the GraphML and GEXF writers.
// Guarantees: the result is well-formed in text and in double-quoted attributes, and parses back to the input.

const SPECIAL = /[&<>"\t\n\r]/;

/** Escapes &, <, >, " and the control characters XML 1.0 allows (tab, newline, carriage return). O(length). */
export function xmlEscape(s: string): string {
  // NOTE: most values (types, names, modes) need no escaping; testing first avoids building a new string.
  if (!SPECIAL.test(s)) return s;
  return s.replace(/[&<>"\t\n\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : `&#${c.charCodeAt(0)};`,
  );
}
