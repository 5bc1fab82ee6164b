// Comment bodies are stored as written (Markdown); the HTML we hand out is sanitised: no script,
// event handler or javascript: URL survives.
import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'del', 'input'],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title'],
    code: ['class'],
    input: ['type', 'checked', 'disabled'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }) },
};

/**
 * Text neither Markdown nor HTML reads as syntax (letters first, then letters, digits, spaces and
 * `,.!?'`; no `www.` autolink) is one paragraph of itself: most comments ("LGTM, thanks!") skip the
 * parse and sanitise passes. tests/unit/services/comments/markdown.test.ts holds it to the full render.
 */
const PLAIN = /^\p{L}(?:[\p{L}\p{N} ,.!?']*[\p{L}\p{N},.!?'])?$/u;

/** Markdown → safe HTML. */
export function renderMarkdown(markdown: string): string {
  if (PLAIN.test(markdown) && !/www\./i.test(markdown)) return `<p>${markdown}</p>\n`;
  return renderInFull(markdown);
}

/** Markdown → safe HTML through the parser and the sanitiser, whatever the text. */
export function renderInFull(markdown: string): string {
  return sanitizeHtml(marked.parse(markdown, { async: false, gfm: true, breaks: true }), OPTIONS);
}
