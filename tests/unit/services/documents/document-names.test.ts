import { describe, expect, it } from '@jest/globals';
import {
  branchDoc,
  componentDoc,
  documentNameSchema,
  mainDocOf,
  parseDocumentName,
  tokensDoc,
} from '../../../../src/services/documents/document-names.ts';

const id = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('document names', () => {
  it('parses canonical names into kind, id and name', () => {
    expect(parseDocumentName(`component:${id}`)).toEqual({ kind: 'component', id, name: `component:${id}` });
    expect(parseDocumentName(`tokens:${id}`).kind).toBe('tokens');
  });

  it.each([
    `component:${id.toUpperCase()}`,
    `Component:${id}`,
    `component:${id} `,
    `component:${id}x`,
    'tokens:',
    `other:${id}`,
  ])('refuses %j', (name) => {
    expect(() => parseDocumentName(name)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(documentNameSchema.safeParse(name).success).toBe(false);
  });

  it('parses a branch copy (`@<branchId>`) and gives back the main name', () => {
    const branch = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';
    const parsed = parseDocumentName(`component:${id}@${branch}`);
    expect(parsed).toEqual({ kind: 'component', id, name: `component:${id}@${branch}`, branchId: branch });
    expect(mainDocOf(parsed)).toBe(`component:${id}`);
    expect(branchDoc(`tokens:${id}`, branch.toUpperCase())).toBe(`tokens:${id}@${branch}`);
    for (const bad of [
      `tokens:${id}@`,
      `tokens:${id}@${branch.toUpperCase()}`,
      `tokens:${id}@main`,
      `tokens:${id}@${branch}@${branch}`,
    ]) {
      expect(documentNameSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('builds canonical names from ids in any case', () => {
    expect(componentDoc(id.toUpperCase())).toBe(`component:${id}`);
    expect(tokensDoc(id.toUpperCase())).toBe(`tokens:${id}`);
  });
});
