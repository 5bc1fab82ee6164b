import { describe, expect, it } from '@jest/globals';
import {
  type DigestContent,
  digestHtml,
  digestSubject,
  digestText,
  escapeHtml,
  MAX_LISTED,
} from '../../../../src/services/email/digest-email.ts';

const content = (items: DigestContent['items']): DigestContent => ({
  recipient: 'Ada <the admin>',
  resource: 'component "Bu<tt>on"',
  threadUrl: 'https://ensemble.example/api/comments/t?a=1&b=2',
  resourceUrl: 'https://ensemble.example/api/design-systems/d/components/c',
  unsubscribeUrl: 'https://ensemble.example/api/notifications/unsubscribe?token=u.s',
  items,
});
const at = new Date('2026-12-04T01:00:00Z');

describe('digest email', () => {
  it('names the count, the resource and the mentions in a one-line subject', () => {
    const mention = { kind: 'mention' as const, author: 'Bo', text: 'hi', at };
    const reply = { kind: 'reply' as const, author: 'Cy', text: 'yo', at };
    expect(digestSubject(content([mention]))).toBe('1 new comment on component "Bu<tt>on" (you were mentioned)');
    expect(digestSubject(content([reply, mention, mention]))).toBe(
      '3 new comments on component "Bu<tt>on" (2 mentioning you)',
    );
    expect(digestSubject(content([reply]))).toBe('1 new comment on component "Bu<tt>on"');
    expect(digestSubject({ ...content([reply]), resource: 'x\r\nBcc: eve@example.com' })).not.toMatch(/[\r\n]/);
  });

  it('escapes everything users wrote in the HTML part and keeps it as written in the text part', () => {
    const mail = content([{ kind: 'reply', author: '<b>Eve</b>', text: '<img src=x onerror=alert(1)> & "q"', at }]);
    const html = digestHtml(mail);
    expect(html).not.toMatch(/<img|<b>|<tt>/);
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62; &#38; &#34;q&#34;');
    expect(html).toContain('href="https://ensemble.example/api/comments/t?a=1&#38;b=2"');
    const text = digestText(mail);
    expect(text).toContain('<b>Eve</b> replied');
    expect(text).toContain('  <img src=x onerror=alert(1)> & "q"');
    expect(text).toContain('Unsubscribe: https://ensemble.example/api/notifications/unsubscribe?token=u.s');
  });

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<>&"'`)).toBe('&#60;&#62;&#38;&#34;&#39;');
  });

  it('lists the newest comments of a long thread and says how many more there are', () => {
    const items = Array.from({ length: MAX_LISTED + 3 }, (_, i) => ({
      kind: 'reply' as const,
      author: 'Bo',
      text: `comment #${i}#`,
      at,
    }));
    const mail = content(items);
    expect(digestSubject(mail)).toMatch(/^23 new comments/);
    for (const part of [digestText(mail), digestHtml(mail)]) {
      expect(part).toContain('(3 earlier ones are in the thread)');
      expect(part).not.toContain('comment #2#');
      expect(part).toContain('comment #3#');
      expect(part).toContain(`comment #${MAX_LISTED + 2}#`);
    }
  });
});
