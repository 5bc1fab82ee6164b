// Comment HTML: the shortcut for plain text must give exactly what the parser and sanitiser give.
import { describe, expect, it } from '@jest/globals';
import { renderInFull, renderMarkdown } from '../../../../src/services/comments/markdown.ts';

const curated = [
  'under load',
  'LGTM, thanks!',
  "don't merge yet",
  'a  b',
  'Ünïcödé ok',
  'e.g. this, or that?',
  '3.14 is pi',
  'www.example.com',
  'see www.example.com',
  'WWW.EXAMPLE.COM',
  'nowww.example.com',
  'a, www.b',
  'example.com',
  '1. first',
  '- item',
  '# title',
  'a ',
  ' a',
  'x\ny',
  '**bold**',
  'a <b>c</b>',
  'Tom & Jerry',
  'x_y_z',
  'http://example.com',
  'mail me@example.com',
];

describe('renderMarkdown', () => {
  it('renders curated texts exactly like the full render', () => {
    for (const text of curated) expect([text, renderMarkdown(text)]).toEqual([text, renderInFull(text)]);
  });

  it('renders random texts of the shortcut alphabet exactly like the full render', () => {
    const alphabet = "aAwWzé9 ,.!?'w.";
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 3000; i++) {
      const length = 1 + Math.floor(random() * 16);
      const text = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      expect([text, renderMarkdown(text)]).toEqual([text, renderInFull(text)]);
    }
  });

  it('still sanitises what is not plain', () => {
    expect(renderMarkdown('<script>alert(1)</script> [x](javascript:alert(1))')).not.toMatch(
      /<script|href="javascript:/i,
    );
  });
});
