// Binds a <textarea> to a Y.Text the way an editor binding does: each input event becomes one Yjs
// transaction (the difference between the old and the new value), and remote changes rewrite the
// value while keeping the caret where the user left it. Playwright's keyboard types into it.
import type * as Y from 'yjs';

/** Keeps `el` and `text` equal; `onLocal` runs after each local edit is applied. */
export function bindTextarea(el: HTMLTextAreaElement, text: Y.Text, onLocal: () => void = () => {}): void {
  const origin = Symbol('textarea');
  let last = text.toString();
  el.value = last;
  el.addEventListener('input', () => {
    const next = el.value;
    let start = 0;
    while (start < last.length && start < next.length && last[start] === next[start]) start++;
    let end = 0;
    while (
      end < last.length - start &&
      end < next.length - start &&
      last[last.length - 1 - end] === next[next.length - 1 - end]
    )
      end++;
    text.doc?.transact(() => {
      if (last.length - start - end > 0) text.delete(start, last.length - start - end);
      if (next.length - start - end > 0) text.insert(start, next.slice(start, next.length - end));
    }, origin);
    last = next;
    onLocal();
  });
  text.observe((event, transaction) => {
    if (transaction.origin === origin) return;
    // Move the caret (and selection end) past remote inserts before it, back over deletes before it.
    const shift = (pos: number) => {
      let index = 0;
      let moved = pos;
      for (const op of event.delta) {
        if (index >= pos) break;
        if (op.retain) index += op.retain;
        else if (typeof op.insert === 'string') {
          moved += op.insert.length;
          index += op.insert.length;
        } else if (op.delete) moved -= Math.min(op.delete, pos - index);
      }
      return moved;
    };
    const [selStart, selEnd] = [shift(el.selectionStart), shift(el.selectionEnd)];
    last = text.toString();
    el.value = last;
    el.setSelectionRange(selStart, selEnd);
  });
}
