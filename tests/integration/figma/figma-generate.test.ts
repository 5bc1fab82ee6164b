// AI generation from a Figma link against the Figma stand-in: the node is read (and cached by file
// version), mapped to the design system's tokens — through bound variables after a variables import,
// by exact value otherwise — and the generated code references those tokens, with the template
// provider and in the prompt an HTTP provider gets.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildCrew, buildDesignSystem } from '../../support/factories.ts';
import { expectError, expectInvalidField } from '../../support/expect-error.ts';
import { eventually } from '../../support/realtime.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { FILE_KEY, startFigmaStandIn, type FigmaStandIn } from '../../support/standins/figma.ts';
import { startLlmStandIn, type LlmStandIn } from '../../support/standins/llm.ts';

const BUTTON_URL = `https://www.figma.com/design/${FILE_KEY}/Acme-Design-System?node-id=12-34&t=Xq3fA9-1`;

async function finished(server: TestServer, who: { accessToken: string }, jobId: string) {
  let job: any;
  await eventually(async () => {
    job = (await server.api.as(who).get(`/api/jobs/${jobId}`)).body;
    return ['completed', 'failed', 'cancelled'].includes(job.status);
  }, 15_000);
  return job;
}

async function generated(server: TestServer, who: { accessToken: string }, dsId: string, body: object) {
  const start = await server.api.as(who).post(`/api/design-systems/${dsId}/components/generate`, body);
  expect(start.status).toBe(202);
  const job = await finished(server, who, start.body.id);
  expect(job).toMatchObject({ status: 'completed' });
  const c = await server.api.as(who).get(`/api/design-systems/${dsId}/components/${job.result.componentId}`);
  return { job, code: c.body.code as string, component: c.body };
}

describe('generation from a Figma link (template provider)', () => {
  let figma: FigmaStandIn;
  let server: TestServer;
  let crew: Awaited<ReturnType<typeof buildCrew>>;
  let ds: { id: string };
  const path = () => `/api/design-systems/${ds.id}/components/generate`;

  beforeAll(async () => {
    figma = await startFigmaStandIn();
    server = await startTestServer({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1', FIGMA_API_URL: figma.url });
    crew = await buildCrew(server);
    ds = await buildDesignSystem(server, crew.team, crew.editor, 'Acme from Figma');
    expect((await server.api.as(crew.editor).put('/api/users/me/figma', { token: figma.token })).status).toBe(200);
    const imported = await server.api
      .as(crew.editor)
      .post(`/api/design-systems/${ds.id}/tokens/import`, { figma: { fileKey: FILE_KEY } });
    expect(imported.status).toBe(200);
  });
  afterAll(async () => {
    await server.close();
    await figma.close();
  });

  it('refuses precisely: a link without a node, no Figma token, Figma refusing the token, a missing node', async () => {
    const noNode = await server.api
      .as(crew.editor)
      .post(path(), { prompt: 'the button', figmaUrl: `https://www.figma.com/design/${FILE_KEY}/Acme` });
    expectInvalidField(noNode, 'figmaUrl');
    expect(noNode.body.error.details[0]).toMatchObject({ code: 'invalid_figma_url' });
    expectInvalidField(
      await server.api
        .as(crew.editor)
        .post(path(), { prompt: 'the button', figmaUrl: 'https://www.figma.com/files/recent' }),
      'figmaUrl',
    );
    // The admin can write the design system but has no Figma token.
    const none = await server.api.as(crew.admin).post(path(), { prompt: 'the button', figmaUrl: BUTTON_URL });
    expectError(none, 422, 'figma_not_connected');
    figma.failNext(403);
    const refused = await server.api.as(crew.editor).post(path(), { prompt: 'the button', figmaUrl: BUTTON_URL });
    expectError(refused, 422, 'figma_token_rejected');
    const missing = await server.api.as(crew.editor).post(path(), {
      prompt: 'the button',
      figmaUrl: `https://www.figma.com/file/${FILE_KEY}/Acme?node-id=99%3A99`,
    });
    expectError(missing, 422, 'figma_file_not_found');
    expect(missing.body.error.message).toContain('99:99');
    // Nothing was started.
    const jobs = await server.db.job.count({ where: { designSystemId: ds.id } });
    expect(jobs).toBe(0);
  });

  it('builds a component shaped like the node that references the tokens its values are bound to', async () => {
    const nodesBefore = figma.count(`/v1/files/${FILE_KEY}/nodes`);
    const { job, code, component } = await generated(server, crew.editor, ds.id, {
      prompt: 'the primary action button',
      figmaUrl: BUTTON_URL,
    });
    expect(figma.count(`/v1/files/${FILE_KEY}/nodes`)).toBe(nodesBefore + 1);
    expect(figma.seen.findLast((s) => s.path.startsWith(`/v1/files/${FILE_KEY}/nodes`))?.path).toContain('ids=12%3A34');
    expect(job.result).toMatchObject({
      name: 'Button',
      provider: 'template',
      figma: { fileKey: FILE_KEY, nodeId: '12:34', version: '4242001', cached: false },
    });
    expect(component.name).toBe('Button');
    // A <button> with the set's variants as a typed prop.
    expect(code).toMatch(/export interface ButtonProps/);
    expect(code).toContain("variant?: 'Primary' | 'Secondary'");
    expect(code).toContain('<button');
    expect(code).toContain("flexDirection: 'row'");
    // Bound variables → the tokens imported from them.
    expect(code).toContain("background: 'var(--semantic-button-primary-background)'");
    expect(code).toContain("color: 'var(--semantic-button-primary-text)'");
    expect(code).toContain("background: 'var(--semantic-button-secondary-background)'");
    expect(code).toContain("color: 'var(--semantic-text-default)'");
    expect(code).toContain("paddingLeft: 'var(--primitives-space-4)'");
    expect(code).toContain("gap: 'var(--primitives-space-2)'");
    expect(code).toContain("borderRadius: 'var(--primitives-radius-md)'");
    expect(code).toContain("fontFamily: 'var(--primitives-font-family-sans)'");
    expect(code).toContain("fontSize: 'var(--primitives-font-size-md)'");
    // Unbound values → a token of the same value: padding 8 (space/2), the secondary border #111827
    // (the semantic alias preferred over the primitive it points at).
    expect(code).toContain("paddingTop: 'var(--primitives-space-2)'");
    expect(code).toContain("borderColor: 'var(--semantic-text-default)'");
    // Only the secondary variant has a (1px) stroke: a thin solid border there, none on the base.
    expect(code).toMatch(/'Secondary': \{\n\s+borderStyle: 'solid',/);
    expect(code).toContain("borderWidth: 'thin'");
    expect(code).toContain("borderStyle: 'none'");
    expect(job.result.variablesUsed).toEqual(
      expect.arrayContaining(['--semantic-button-primary-background', '--primitives-radius-md']),
    );
    // The line height (20px) has no token: reported, and not hard-coded.
    expect(job.result.figma.unmapped).toContain('lineHeight 20px');
    expect(code).not.toMatch(/\b20px\b|#2563eb/i);
    expect(code).not.toContain('lineHeight');
    expect(component.props).toMatchObject({ variant: { type: "'Primary' | 'Secondary'", default: 'Primary' } });
  });

  it('reads the same node from the cache while the file’s version is unchanged, and again after an edit', async () => {
    const nodes = () => figma.count(`/v1/files/${FILE_KEY}/nodes`);
    const meta = () => figma.count(`/v1/files/${FILE_KEY}`);
    const [n0, m0] = [nodes(), meta()];
    const second = await generated(server, crew.editor, ds.id, { prompt: 'the button again', figmaUrl: BUTTON_URL });
    expect(second.job.result.figma).toMatchObject({ cached: true, version: '4242001' });
    expect(second.code).toContain("background: 'var(--semantic-button-primary-background)'");
    expect(nodes()).toBe(n0); // no second nodes request
    expect(meta()).toBeGreaterThan(m0); // the version is still checked with the user's token
    figma.bumpVersion();
    const third = await generated(server, crew.editor, ds.id, { prompt: 'the edited button', figmaUrl: BUTTON_URL });
    expect(third.job.result.figma).toMatchObject({ cached: false, version: '4242002' });
    expect(nodes()).toBe(n0 + 1);
    expect(await server.db.figmaNodeCache.count({ where: { fileKey: FILE_KEY, nodeId: '12:34' } })).toBe(1);
  });

  it('retries a generation whose job finds Figma down for a moment, instead of failing it', async () => {
    // With the node cached, asking reads the file's version once, and the job once more: that one fails.
    await generated(server, crew.editor, ds.id, { prompt: 'the button, cached', figmaUrl: BUTTON_URL });
    figma.failNext(500, 0, 1);
    const start = await server.api
      .as(crew.editor)
      .post(path(), { prompt: 'the button once more', figmaUrl: BUTTON_URL });
    expect(start.status).toBe(202);
    const job = await finished(server, crew.editor, start.body.id);
    expect(job).toMatchObject({ status: 'completed', result: { figma: { fileKey: FILE_KEY } } });
    expect(job.logs.map((l: { message: string }) => l.message).join('\n')).toMatch(
      /attempt 1 failed: .*Figma answered 500/,
    );
  });

  it('maps by exact value in a design system whose tokens did not come from Figma', async () => {
    const plain = await buildDesignSystem(server, crew.team, crew.editor, 'Hand-written tokens');
    await server.api.as(crew.editor).post(`/api/design-systems/${plain.id}/tokens/import`, {
      files: [
        {
          path: 't.json',
          content: JSON.stringify({
            color: {
              $type: 'color',
              brand: { $value: '#2563eb' },
              'on-brand': { $value: '#ffffff' },
              muted: { $value: '#f3f4f6' },
              ink: { $value: '#111827' },
            },
            space: { $type: 'dimension', sm: { $value: '8px' }, md: { $value: '1rem' } },
            radius: { $type: 'dimension', control: { $value: '6px' } },
          }),
        },
      ],
    });
    const { code } = await generated(server, crew.editor, plain.id, { prompt: 'the button', figmaUrl: BUTTON_URL });
    expect(code).toContain("background: 'var(--color-brand)'");
    expect(code).toContain("background: 'var(--color-muted)'");
    expect(code).toContain("paddingLeft: 'var(--space-md)'"); // 16px = 1rem
    expect(code).toContain("gap: 'var(--space-sm)'");
    expect(code).toContain("borderRadius: 'var(--radius-control)'");
  });
});

describe('generation from a Figma link (an HTTP provider)', () => {
  let figma: FigmaStandIn;
  let llm: LlmStandIn;
  let server: TestServer;

  beforeAll(async () => {
    figma = await startFigmaStandIn();
    llm = await startLlmStandIn();
    server = await startTestServer({
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      FIGMA_API_URL: figma.url,
      AI_PROVIDER: 'openai',
      AI_BASE_URL: llm.url,
      AI_MODEL: 'test-model',
    });
  });
  afterAll(async () => {
    await server.close();
    await llm.close();
    await figma.close();
  });

  it('sends the node’s mapped context as the figma section of the prompt', async () => {
    const crew = await buildCrew(server);
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    await server.api.as(crew.editor).put('/api/users/me/figma', { token: figma.token });
    await server.api
      .as(crew.editor)
      .post(`/api/design-systems/${ds.id}/tokens/import`, { figma: { fileKey: FILE_KEY } });
    llm.script({ text: 'no sections' });
    const start = await server.api
      .as(crew.editor)
      .post(`/api/design-systems/${ds.id}/components/generate`, { prompt: 'the button', figmaUrl: BUTTON_URL });
    expect(start.status).toBe(202);
    await finished(server, crew.editor, start.body.id);
    const prompt: string = llm.requests.at(-1)?.body.messages[1].content;
    expect(prompt).toContain('=== figma');
    const from = prompt.indexOf('{', prompt.indexOf('=== figma'));
    const section = JSON.parse(prompt.slice(from, prompt.indexOf('\n}', from) + 2));
    expect(section).toMatchObject({
      source: { fileKey: FILE_KEY, nodeId: '12:34', version: '4242001' },
      node: { name: 'Button', type: 'COMPONENT_SET', layout: 'row', label: 'Button' },
      styles: {
        background: 'var(--semantic-button-primary-background)',
        borderRadius: 'var(--primitives-radius-md)',
        lineHeight: { figma: '20px', token: null },
      },
      variants: {
        property: 'Variant',
        options: ['Primary', 'Secondary'],
        styles: { Secondary: { background: 'var(--semantic-button-secondary-background)' } },
      },
    });
    expect(section.properties).toEqual([{ name: 'Label', type: 'TEXT', default: 'Button', options: [] }]);
  });
});
