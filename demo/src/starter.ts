// What a new design system starts with, so the demo has something to edit at once.
export const STARTER_TOKENS = [
  { path: 'color.brand.primary', $type: 'color', $value: '#0969da', $description: 'Primary actions and links' },
  { path: 'color.text.default', $type: 'color', $value: '#1f2328', $description: 'Body text' },
  { path: 'color.surface.subtle', $type: 'color', $value: '#f6f8fa', $description: 'Cards and panels' },
  { path: 'space.md', $type: 'dimension', $value: '12px', $description: 'Default gap' },
  { path: 'radius.md', $type: 'dimension', $value: '6px', $description: 'Buttons and inputs' },
];

/** The code of a new component called `name`. */
export function starterCode(name: string): string {
  return `import type { ReactNode } from 'react';

/** ${name}: uses the design system's variables. */
export function ${name}({ children }: { children?: ReactNode }) {
  return (
    <button
      style={{
        background: 'var(--color-brand-primary)',
        color: 'white',
        padding: 'var(--space-md)',
        borderRadius: 'var(--radius-md)',
      }}
    >
      {children}
    </button>
  );
}
`;
}
