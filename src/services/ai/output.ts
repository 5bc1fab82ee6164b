// Reading a generation's answer and checking it before anything is saved: it must compile, use the
// design system's CSS variables rather than hard-coded colours and sizes, and export a typed props
// interface.
import { transform } from 'esbuild';

export interface GeneratedComponent {
  code: string;
  props: Record<string, unknown>;
  docs: string;
  story: string;
}

export interface CheckResult {
  ok: boolean;
  problems: string[];
  variablesUsed: string[];
}

/** Splits `=== file` sections; code fences around sections are tolerated. */
export function parseOutput(text: string, name: string): GeneratedComponent {
  const sections = new Map<string, string>();
  const parts = text.split(/^===\s*(.+?)\s*$/m);
  for (let i = 1; i < parts.length; i += 2) {
    const body = (parts[i + 1] ?? '')
      .replace(/^\s*```\w*\n/, '')
      .replace(/\n```\s*$/, '')
      .trim();
    sections.set((parts[i] as string).trim(), body);
  }
  const find = (pred: (file: string) => boolean) => [...sections].find(([file]) => pred(file))?.[1] ?? '';
  let props: Record<string, unknown> = {};
  try {
    props = JSON.parse(find((f) => f.endsWith('props.json')) || '{}') as Record<string, unknown>;
  } catch {
    props = {};
  }
  return {
    code: find((f) => f === `${name}.tsx` || (f.endsWith('.tsx') && !f.includes('.stories.'))),
    props,
    docs: find((f) => f.endsWith('.md')),
    story: find((f) => f.includes('.stories.')),
  };
}

/** Checks generated code against the design system's variables. */
export async function checkComponent(
  output: GeneratedComponent,
  name: string,
  allowedVariables: Set<string>,
): Promise<CheckResult> {
  const problems: string[] = [];
  if (!output.code) problems.push(`The answer has no ${name}.tsx section`);
  try {
    await transform(output.code, { loader: 'tsx', jsx: 'automatic', format: 'esm' });
  } catch (err) {
    const first = (err as { errors?: { text: string; location?: { line: number } }[] }).errors?.[0];
    problems.push(
      `It does not compile: ${first ? `${first.text} (line ${first.location?.line ?? '?'})` : String(err)}`,
    );
  }
  if (!new RegExp(`export\\s+(interface|type)\\s+${name}Props\\b`).test(output.code))
    problems.push(`It must export a typed props interface ${name}Props`);
  const code = output.code.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  const hardColours = code.match(/#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?)\(/gi) ?? [];
  if (hardColours.length)
    problems.push(
      `It hard-codes colours (${[...new Set(hardColours)].slice(0, 5).join(', ')}); use the design system's variables`,
    );
  const hardSizes = code.match(/\b[1-9]\d*(?:\.\d+)?(?:px|rem|em)\b/g) ?? [];
  if (hardSizes.length)
    problems.push(
      `It hard-codes sizes (${[...new Set(hardSizes)].slice(0, 5).join(', ')}); use the design system's variables`,
    );
  const used = [...new Set([...code.matchAll(/var\((--[\w-]+)/g)].map((m) => m[1] as string))];
  if (!used.length) problems.push("It uses none of the design system's variables");
  const unknown = used.filter((v) => !allowedVariables.has(v));
  if (unknown.length) problems.push(`It uses variables the design system does not define: ${unknown.join(', ')}`);
  return { ok: problems.length === 0, problems, variablesUsed: used };
}
