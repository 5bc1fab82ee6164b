import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { mergeText, textEdits } from '../../../../src/services/documents/text-merge.ts';

function textWith(value: string): Y.Text {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  text.insert(0, value);
  return text;
}

describe('mergeText', () => {
  it('applies a plain edit when nothing moved', () => {
    const text = textWith('const a = 1;');
    mergeText(text, 'const a = 1;', 'const alpha = 1;');
    expect(text.toString()).toBe('const alpha = 1;');
  });

  it('keeps a live edit elsewhere in the text', () => {
    const base = 'line one\nline two\nline three\n';
    const text = textWith(base);
    text.insert(base.indexOf('three'), 'number '); // a live collaborator's edit
    mergeText(text, base, base.replace('one', 'ONE')); // the REST client's edit, made on base
    expect(text.toString()).toBe('line ONE\nline two\nline number three\n');
  });

  it('never deletes text the live side inserted at the edge of a removal', () => {
    const text = textWith('abc');
    text.insert(2, 'X'); // live: abXc
    mergeText(text, 'abc', 'ac'); // REST: remove b
    expect(text.toString()).toBe('aXc');
  });

  it('maps edits past text the live side removed', () => {
    const base = 'alpha beta gamma';
    const text = textWith(base);
    text.delete(0, 6); // live: "beta gamma"
    mergeText(text, base, 'alpha beta GAMMA');
    expect(text.toString()).toBe('beta GAMMA');
  });

  it('describes edits in base coordinates', () => {
    expect(textEdits('hello world', 'hello brave world')).toEqual([{ at: 6, remove: 0, insert: 'brave ' }]);
  });
});
