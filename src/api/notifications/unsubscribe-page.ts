// The small HTML pages a person sees after clicking an email's unsubscribe link: a confirmation
// with one button (GET never changes anything: mail scanners open links) and the result.
import { escapeHtml } from '../../services/email/digest-email.ts';
import type { UnsubscribeStatus } from '../../services/email/unsubscribe.service.ts';

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
  `<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;

/** The confirmation page: one button that POSTs the same link. */
export function confirmPage(status: UnsubscribeStatus, action: string): string {
  if (!status.emailDigests)
    return page('Already unsubscribed', `<p>${escapeHtml(status.email)} gets no email digests.</p>`);
  return page(
    'Unsubscribe from email digests?',
    `<p>${escapeHtml(status.email)} will stop getting emails about unread mentions and replies.</p>` +
      `<form method="post" action="${escapeHtml(action)}">` +
      '<input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>',
  );
}

/** The page after the unsubscribe. */
export function donePage(status: UnsubscribeStatus): string {
  return page(
    'Unsubscribed',
    `<p>${escapeHtml(status.email)} gets no more email digests. Turn them back on in your notification preferences.</p>`,
  );
}
