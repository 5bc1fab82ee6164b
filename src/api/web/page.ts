// The HTML shell of the server's own pages (landing, rendered docs, the demo's 503): no scripts,
// one small stylesheet inline (helmet's CSP allows inline styles, not inline scripts).
const STYLE = `
:root {
  font: 15px/1.6 -apple-system, BlinkMacSystemFont, 'Segoe UI', 'Noto Sans', Helvetica, Arial, sans-serif;
  color: #1f2328; background: #f6f8fa;
}
body { margin: 0; }
header { background: #24292f; color: #fff; padding: 12px 24px; display: flex; gap: 20px; align-items: center; }
header a { color: #d1d9e0; text-decoration: none; font-size: 14px; }
header strong { font-size: 16px; margin-right: auto; }
main { max-width: 860px; margin: 32px auto; padding: 0 24px 48px; }
article { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 24px 32px; }
a { color: #0969da; }
code {
  font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eff1f3; padding: 1px 4px;
  border-radius: 4px;
}
pre { background: #f6f8fa; border: 1px solid #e6eaef; border-radius: 6px; padding: 12px; overflow: auto; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; display: block; overflow: auto; }
th, td { border: 1px solid #d0d7de; padding: 4px 10px; text-align: left; vertical-align: top; }
.links {
  display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; padding: 0; list-style: none;
}
.links a {
  display: block; background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 14px 16px;
  text-decoration: none;
}
.links a span { display: block; color: #59636e; font-size: 13px; }
`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A complete page: `body` is trusted HTML (built here or sanitised). */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header><strong>Ensemble</strong><a href="/demo">Demo</a><a href="/docs">API</a>
<a href="/docs/realtime">Realtime</a><a href="/health">Health</a></header>
<main>${body}</main></body></html>`;
}
