// Issue 17 over REST, as a user meets it: alpha through aliases, names that never collide, errors
// that say where, Tokens Studio maths.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildCrew, buildDesignSystem } from '../../../support/factories.ts';
import { expectError } from '../../../support/expect-error.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
});
afterAll(() => server.close());

const tokensPath = (dsId: string) => `/api/design-systems/${dsId}/tokens`;
const importFiles = async (data: unknown, path = 'tokens.json') => {
  const ds = await buildDesignSystem(server, crew.team, crew.editor);
  const res = await server.api.as(crew.editor).post(`${tokensPath(ds.id)}/import`, {
    files: [{ path, content: typeof data === 'string' ? data : JSON.stringify(data) }],
  });
  return { ds, res };
};
const exportAs = (dsId: string, query: string) => server.api.as(crew.viewer).get(`${tokensPath(dsId)}/export?${query}`);

describe('alpha through aliases', () => {
  it('an alias of a token with alpha keeps that alpha in CSS, Android and Swift', async () => {
    const { ds, res } = await importFiles({
      base: { red: { $type: 'color', $value: '#ff0000' } },
      danger: { muted: { $type: 'color', $value: '{base.red}', alpha: 0.4 } },
      closed: { muted: { $type: 'color', $value: '{danger.muted}' } },
    });
    expect(res.status).toBe(200);
    expect((await exportAs(ds.id, 'format=css')).text).toContain('--closed-muted: #ff000066;');
    expect((await exportAs(ds.id, 'format=android-xml')).text).toContain(
      '<color name="closed_muted">#66ff0000</color>',
    );
    expect((await exportAs(ds.id, 'format=ios-swift')).text).toContain(
      'closedMuted = UIColor(red: 1, green: 0, blue: 0, alpha: 0.4)',
    );
  });
});

describe('colour spaces', () => {
  it('a display-p3 colour with a hex fallback: P3 in CSS and on iOS, the hex on Android', async () => {
    const { ds, res } = await importFiles({
      brand: { $type: 'color', $value: { colorSpace: 'display-p3', components: [0.2, 0.8, 0.3], hex: '#11cc44' } },
    });
    expect(res.status).toBe(200);
    expect((await exportAs(ds.id, 'format=css')).text).toContain('--brand: color(display-p3 0.2 0.8 0.3);');
    expect((await exportAs(ds.id, 'format=ios-swift')).text).toContain(
      'brand = UIColor(displayP3Red: 0.2, green: 0.8, blue: 0.3, alpha: 1)',
    );
    expect((await exportAs(ds.id, 'format=android-xml')).text).toContain('<color name="brand">#ff11cc44</color>');
  });
});

describe('names', () => {
  it('refuses an import whose paths CSS names alike, naming both paths, the name and the platform', async () => {
    const { ds, res } = await importFiles({
      size: { 'small-1': { $type: 'dimension', $value: '4px' }, small: { 1: { $type: 'dimension', $value: '5px' } } },
    });
    expectError(res, 422, 'invalid_tokens');
    expect(res.body.error.details).toEqual([
      expect.objectContaining({
        code: 'name_collision',
        paths: ['size.small-1', 'size.small.1'],
        name: 'size-small-1',
        platform: 'css',
      }),
    ]);
    expect(await server.db.designToken.count({ where: { designSystemId: ds.id } })).toBe(0);
  });

  it('imports with a warning what collides in camelCase; that export answers 422, CSS works', async () => {
    const { ds, res } = await importFiles({
      focus: { 'outline-color': { $type: 'color', $value: '#000' }, outlineColor: { $type: 'color', $value: '#111' } },
    });
    expect(res.status).toBe(200);
    expect(res.body.warnings).toContainEqual(
      expect.objectContaining({ code: 'name_collision', platform: 'javascript', name: 'focusOutlineColor' }),
    );
    const js = await exportAs(ds.id, 'format=js');
    expectError(js, 422, 'token_name_collision');
    expect(js.body.error.message).toContain(
      '"focus.outline-color" and "focus.outlineColor" are both named "focusOutlineColor" on javascript',
    );
    expect(js.body.error.details[0]).toMatchObject({
      paths: ['focus.outline-color', 'focus.outlineColor'],
      name: 'focusOutlineColor',
      platform: 'javascript',
    });
    expect((await exportAs(ds.id, 'format=css')).status).toBe(200);
  });

  it('a token named `new`, `class` or `default` exports as valid JS instead of a 500; Unicode stays in CSS', async () => {
    const { ds, res } = await importFiles({
      new: { $type: 'number', $value: 1 },
      class: { $type: 'number', $value: 2 },
      default: { $type: 'number', $value: 3 },
      brand: { Primär: { $type: 'color', $value: '#0969da' } },
    });
    expect(res.status).toBe(200);
    const js = await exportAs(ds.id, 'format=js');
    expect(js.status).toBe(200);
    expect(js.text).toContain('export const _new = 1;');
    expect(js.text).toContain('export const _default = 3;');
    expect((await exportAs(ds.id, 'format=css')).text).toContain('--brand-Primär: #0969da;');
  });

  it('refuses a single new token whose CSS name another token has', async () => {
    const { ds } = await importFiles({ size: { 'small-1': { $type: 'dimension', $value: '4px' } } });
    const res = await server.api
      .as(crew.editor)
      .post(tokensPath(ds.id), { path: 'size.small.1', $type: 'dimension', $value: '5px' });
    expectError(res, 422, 'invalid_tokens');
    expect(res.body.error.details[0]).toMatchObject({
      code: 'name_collision',
      paths: ['size.small-1', 'size.small.1'],
    });
  });
});

describe('errors that say where', () => {
  it('a missing alias names the file, line and column; bad colours are refused with their path', async () => {
    const content = JSON.stringify(
      {
        color: { ok: { $type: 'color', $value: '#fff' }, bad: { $type: 'color', $value: 'rgb(1,2)' } },
        size: { gap: { $type: 'dimension', $value: '{size.none}' } },
      },
      null,
      2,
    );
    const { res } = await importFiles(content, 'brand.tokens.json');
    expectError(res, 422, 'invalid_tokens');
    const lineOf = (key: string) => content.split('\n').findIndex((l) => l.includes(`"${key}":`)) + 1;
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'color.bad',
          code: 'invalid_value',
          file: 'brand.tokens.json',
          line: lineOf('bad'),
          column: 5,
        }),
        expect.objectContaining({
          path: 'size.gap',
          code: 'broken_alias',
          file: 'brand.tokens.json',
          line: lineOf('gap'),
          column: 5,
        }),
      ]),
    );
  });

  it('keeps a token of an unknown $type and says so', async () => {
    const { ds, res } = await importFiles({
      viewport: { narrow: { $type: 'custom-viewportRange', $value: '(max-width: 767px)' } },
    });
    expect(res.status).toBe(200);
    expect(res.body.warnings).toEqual([expect.objectContaining({ path: 'viewport.narrow', code: 'unknown_type' })]);
    // A viewport range is a media query: CSS writes it as an @custom-media rule, not a custom property.
    const css = (await exportAs(ds.id, 'format=css')).text;
    expect(css).toContain('@custom-media --viewport-narrow (max-width: 767px);');
    expect(css).not.toContain('--viewport-narrow:');
  });
});

describe('Tokens Studio maths and colour modifiers', () => {
  it('exports `{spacing.base} * 2` as 8px, a darkened colour and rgba() evaluated', async () => {
    const { ds, res } = await importFiles({
      core: {
        spacing: { base: { value: '4', type: 'spacing' }, lg: { value: '{spacing.base} * 2', type: 'spacing' } },
        red: { value: '#C14242', type: 'color' },
        dark: {
          value: '{red}',
          type: 'color',
          $extensions: { 'studio.tokens': { modify: { type: 'darken', value: '0.2', space: 'lch' } } },
        },
        veil: { value: 'rgba(#0969da, 0.4)', type: 'color' },
      },
      $metadata: { tokenSetOrder: ['core'] },
    });
    expect(res.status).toBe(200);
    const css = (await exportAs(ds.id, 'format=css')).text;
    expect(css).toContain('--spacing-lg: 8px;');
    expect(css).toContain('--dark: #983735;');
    expect(css).toContain('--veil: #0969da66;');
    expect((await exportAs(ds.id, 'format=js')).text).toContain('export const spacingLg = "8px";');
    expect((await exportAs(ds.id, 'format=ios-swift')).text).toContain('spacingLg = CGFloat(8)');
    expect((await exportAs(ds.id, 'format=android-xml')).text).toContain('<dimen name="spacing_lg">8dp</dimen>');
  });

  it('refuses mixed units at import, naming the token', async () => {
    const { res } = await importFiles({
      core: { a: { value: '4px', type: 'spacing' }, b: { value: '{a} + 1rem', type: 'spacing' } },
      $metadata: { tokenSetOrder: ['core'] },
    });
    expectError(res, 422, 'invalid_tokens');
    expect(res.body.error.details).toEqual([
      expect.objectContaining({
        path: 'b',
        code: 'invalid_value',
        message: expect.stringContaining('cannot add rem to px'),
      }),
    ]);
  });
});
