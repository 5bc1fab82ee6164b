// GET /docs/realtime: docs/realtime.md rendered with marked and sanitised with sanitize-html (the
// Markdown is ours, but the page is served under our origin: nothing executable gets through).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { page } from './page.ts';

const SOURCE = fileURLToPath(new URL('../../../docs/realtime.md', import.meta.url));

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');

const marked = new Marked({
  gfm: true,
  renderer: {
    // Headings get ids, so links to a section (#refused-updates) work.
    heading({ tokens, depth }) {
      const html = this.parser.parseInline(tokens);
      return `<h${depth} id="${slug(html)}">${html}</h${depth}>\n`;
    },
  },
});

/** Markdown → safe HTML: the default allowlist plus heading ids and table alignment. */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown, { async: false });
  return sanitizeHtml(html, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img'],
    allowedAttributes: {
      ...sanitizeHtml.defaults.allowedAttributes,
      h1: ['id'],
      h2: ['id'],
      h3: ['id'],
      h4: ['id'],
      td: ['align'],
      th: ['align'],
      code: ['class'],
      img: ['src', 'alt', 'title'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
  });
}

const MISSING = page(
  'Ensemble realtime protocol',
  '<article><h1>Not installed</h1><p>This installation has no <code>docs/realtime.md</code>.</p></article>',
);

/** The realtime protocol, as a page. */
export function realtimeDocsRouter(source = SOURCE): Router {
  const router = Router();
  let rendered: Promise<string> | null = null;
  router.get('/docs/realtime', async (_req, res, next) => {
    res.locals.route = '/docs/realtime';
    rendered ??= readFile(source, 'utf8').then((md) =>
      page('Ensemble realtime protocol', `<article>${renderMarkdown(md)}</article>`),
    );
    try {
      res.type('html').send(await rendered);
    } catch (err) {
      rendered = null;
      // An installation without the docs (an image that copied only src/): say so, not a 500.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return void res.status(404).type('html').send(MISSING);
      next(err);
    }
  });
  return router;
}
