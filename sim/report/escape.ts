/**
 * Escaping user strings (titles, questions, app and mode names, scenario text) for the HTML and
 * Markdown reports, so a scenario can neither inject markup nor break a table.
 */

/**
 * Control characters other than tab, newline and carriage return, and the Unicode
 * non-characters and lone surrogates: none may appear in an HTML document.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const HTML_ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text for HTML content or a quoted attribute value: `& < > " '` as entities, forbidden characters as U+FFFD. */
export function escapeHtml(text: string): string {
  return text.replace(FORBIDDEN, "\uFFFD").replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] as string);
}

/**
 * JSON for an inline `<script type="application/json">`: `<`, `>` and `&` as \u escapes so no
 * `</script>` or `<!--` can end the element early, and U+2028/U+2029 escaped too.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * Text for one line of Markdown prose or a table cell: backslash before every character GFM may
 * read as inline syntax (`\\ \` * _ [ ] | ~`, so a cell never splits and no link or emphasis
 * forms), `&` `<` `>` as entities so no HTML passes through, a leading `#` `+` `-` `=` or `1.`
 * escaped so no heading, list or rule starts; newlines become spaces, forbidden characters U+FFFD.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(FORBIDDEN, "\uFFFD")
    .replace(/\r\n?|\n/g, " ")
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/[&<>]/g, (c) => HTML_ENTITIES[c] as string)
    .replace(/^(\s*)([#+\-=])(?=[\s#+\-=]|$)/, "$1\\$2")
    .replace(/^(\s*\d+)([.)])(?=\s|$)/, "$1\\$2");
}

/**
 * A fenced code block that the content cannot close: the fence is one backtick longer than the
 * longest run of backticks inside.
 */
export function markdownFence(content: string, info = ""): string {
  const longest = Math.max(0, ...Array.from(content.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  const body = content.replace(FORBIDDEN, "\uFFFD");
  return `${fence}${info}\n${body}${body.endsWith("\n") ? "" : "\n"}${fence}`;
}
