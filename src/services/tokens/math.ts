// A small units-aware evaluator for Tokens Studio maths (`{spacing.base} * 2` once its reference is
// replaced by `4px`): numbers with px, rem, em, %, ms, s or no unit, + - * / and parentheses.
// Mixed units are refused with a precise error rather than guessed at (`4px + 1rem`).

export interface Quantity {
  value: number;
  /** '' for a plain number. */
  unit: string;
}

export class MathError extends Error {
  override name = 'MathError';
}

const UNITS = new Set(['px', 'rem', 'em', '%', 'ms', 's', '']);
type Tok = { kind: 'num'; q: Quantity } | { kind: 'op'; op: string };

function tokenize(text: string): Tok[] {
  const toks: Tok[] = [];
  const re = /\s*(?:((?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)([a-z%]*)|([-+*/()]))/giy;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw new MathError(`unexpected "${text.slice(at).trim()[0]}" at position ${at + 1}`);
    at = re.lastIndex;
    if (m[3]) toks.push({ kind: 'op', op: m[3] });
    else {
      const unit = (m[2] ?? '').toLowerCase();
      if (!UNITS.has(unit)) throw new MathError(`unknown unit "${m[2]}"`);
      toks.push({ kind: 'num', q: { value: Number(m[1]), unit } });
    }
  }
  return toks;
}

const show = (q: Quantity) => (q.unit ? q.unit : 'a plain number');

function combine(op: string, a: Quantity, b: Quantity): Quantity {
  switch (op) {
    case '+':
    case '-':
      if (a.unit !== b.unit)
        throw new MathError(
          `cannot ${op === '+' ? 'add' : 'subtract'} ${show(b)} ${op === '+' ? 'to' : 'from'} ${show(a)}`,
        );
      return { value: op === '+' ? a.value + b.value : a.value - b.value, unit: a.unit };
    case '*':
      if (a.unit && b.unit) throw new MathError(`cannot multiply ${a.unit} by ${b.unit}`);
      return { value: a.value * b.value, unit: a.unit || b.unit };
    default: {
      if (b.value === 0) throw new MathError('division by zero');
      if (b.unit && a.unit !== b.unit) throw new MathError(`cannot divide ${show(a)} by ${b.unit}`);
      return { value: a.value / b.value, unit: b.unit ? '' : a.unit };
    }
  }
}

/** Evaluates an expression; throws MathError saying what is wrong. */
export function evaluate(text: string): Quantity {
  const toks = tokenize(text);
  let i = 0;
  const peek = () => toks[i];
  const expression = (): Quantity => {
    let left = term();
    while (peek()?.kind === 'op' && ['+', '-'].includes((peek() as { op: string }).op)) {
      const { op } = toks[i++] as { op: string };
      left = combine(op, left, term());
    }
    return left;
  };
  const term = (): Quantity => {
    let left = factor();
    while (peek()?.kind === 'op' && ['*', '/'].includes((peek() as { op: string }).op)) {
      const { op } = toks[i++] as { op: string };
      left = combine(op, left, factor());
    }
    return left;
  };
  const factor = (): Quantity => {
    const tok = toks[i++];
    if (!tok) throw new MathError('the expression ends too early');
    if (tok.kind === 'num') return tok.q;
    if (tok.op === '-') {
      const q = factor();
      return { value: -q.value, unit: q.unit };
    }
    if (tok.op === '+') return factor();
    if (tok.op === '(') {
      const inner = expression();
      const close = toks[i++];
      if (close?.kind !== 'op' || close.op !== ')') throw new MathError('a "(" is not closed');
      return inner;
    }
    throw new MathError(`unexpected "${tok.op}"`);
  };
  const result = expression();
  if (i < toks.length)
    throw new MathError(`unexpected "${(toks[i] as { op?: string }).op ?? 'number'}" after a complete expression`);
  return result;
}

/** True when `text` (references already replaced) is arithmetic, not a lone value like `-4px`. */
export function isExpression(text: string): boolean {
  let toks: Tok[];
  try {
    toks = tokenize(text);
  } catch {
    return false;
  }
  if (toks.length < 2) return false;
  // A binary operator: one that follows a number or a closing parenthesis.
  return toks.some(
    (tok, i) =>
      tok.kind === 'op' &&
      ['+', '-', '*', '/'].includes(tok.op) &&
      i > 0 &&
      (toks[i - 1]!.kind === 'num' || (toks[i - 1] as { op?: string }).op === ')'),
  );
}

/** `8px`, `0.5`, rounded to four decimals. */
export function formatQuantity(q: Quantity): string {
  return `${Math.round(q.value * 10_000) / 10_000}${q.unit}`;
}
