// Renders one digest email: a subject naming the resource and the count, a plain-text part and an
// HTML part. Everything users wrote (names, comment texts, resource names) is escaped in the HTML;
// the plain-text part carries it as written.

/** One comment in a digest. */
export interface DigestItem {
  kind: 'mention' | 'reply';
  author: string;
  text: string;
  at: Date;
}

/** What a digest email says. */
export interface DigestContent {
  recipient: string;
  /** e.g. `component "Button"`. */
  resource: string;
  threadUrl: string;
  resourceUrl: string;
  unsubscribeUrl: string;
  items: DigestItem[];
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A thread with more unread comments than this lists the newest and links to the rest. */
export const MAX_LISTED = 20;

const listed = (content: DigestContent) => content.items.slice(-MAX_LISTED);
const more = (content: DigestContent) => content.items.length - listed(content).length;

const what = (item: DigestItem) => (item.kind === 'mention' ? 'mentioned you' : 'replied');

/** The subject line: count and resource. */
export function digestSubject(content: DigestContent): string {
  const n = content.items.length;
  const mentions = content.items.filter((i) => i.kind === 'mention').length;
  const noun = n === 1 ? 'new comment' : 'new comments';
  const tail = mentions ? ` (${mentions === n && n === 1 ? 'you were mentioned' : `${mentions} mentioning you`})` : '';
  // Line breaks in a name would end the header early: the subject is one line.
  return `${n} ${noun} on ${content.resource}${tail}`.replace(/[\r\n]+/g, ' ');
}

/** The plain-text part. */
export function digestText(content: DigestContent): string {
  const lines = [`Hi ${content.recipient},`, '', `${digestSubject(content)}:`, ''];
  if (more(content)) lines.push(`(${more(content)} earlier ones are in the thread)`, '');
  for (const item of listed(content)) {
    lines.push(`${item.author} ${what(item)} (${item.at.toISOString()}):`);
    lines.push(...item.text.split('\n').map((l) => `  ${l}`), '');
  }
  lines.push(`Open the thread: ${content.threadUrl}`, `The ${content.resource}: ${content.resourceUrl}`, '');
  lines.push('--', `You get these because email digests are on. Unsubscribe: ${content.unsubscribeUrl}`, '');
  return lines.join('\n');
}

/** The HTML part. */
export function digestHtml(content: DigestContent): string {
  const e = escapeHtml;
  const items = listed(content)
    .map(
      (item) =>
        `<li><p><strong>${e(item.author)}</strong> ${what(item)} <small>${e(item.at.toISOString())}</small></p>` +
        `<blockquote style="white-space:pre-wrap">${e(item.text)}</blockquote></li>`,
    )
    .join('\n');
  return [
    '<!doctype html><html><body>',
    `<p>Hi ${e(content.recipient)},</p>`,
    `<p>${e(digestSubject(content))}:</p>`,
    ...(more(content) ? [`<p>(${more(content)} earlier ones are in the thread)</p>`] : []),
    `<ul>${items}</ul>`,
    `<p><a href="${e(content.threadUrl)}">Open the thread</a> · <a href="${e(content.resourceUrl)}">The ${e(content.resource)}</a></p>`,
    `<p><small>You get these because email digests are on. <a href="${e(content.unsubscribeUrl)}">Unsubscribe</a></small></p>`,
    '</body></html>',
  ].join('\n');
}
