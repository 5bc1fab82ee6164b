// Export files of a design system's tokens (docs/tokens.md): built by Style Dictionary on the token
// workers and cached by the tokens document's state, so a repeated export reads nothing.
import { AppError } from '../../utils/errors.ts';
import type { Actor } from '../actor.ts';
import type { DesignSystemService } from '../design-systems/design-systems.service.ts';
import type { DocumentService } from '../documents/document.service.ts';
import { tokensDoc } from '../documents/document-names.ts';
import { readGroups, readModeFallbacks, readThemes, readTokens } from '../documents/tokens-doc.ts';
import { docState, ExportCache } from '../tokens/export/cache.ts';
import { TokenExportError, TokenNameError, type ExportOptions } from '../tokens/export/index.ts';
import type { ExportFormat } from '../tokens/token.types.ts';
import type { TokenWork } from '../tokens/worker/token-work.ts';

/** Builds and caches exports. */
export class TokenExports {
  private readonly documents: DocumentService;
  private readonly designSystems: DesignSystemService;
  private readonly work: TokenWork;
  /** Export results by their inputs (a Style Dictionary build is most of an export's cost). */
  private readonly cache = new ExportCache();

  constructor(documents: DocumentService, designSystems: DesignSystemService, work: TokenWork) {
    this.documents = documents;
    this.designSystems = designSystems;
    this.work = work;
  }

  /** Builds an export file of the design system's tokens. */
  async export(actor: Actor, dsId: string, format: ExportFormat, options: Omit<ExportOptions, 'themes' | 'groups'>) {
    await this.designSystems.require(actor, dsId, 'designSystem:read');
    // The key is the document's state read in the same step as its content: a hit needs no reading.
    const found = await this.documents.read(tokensDoc(dsId), actor, (doc) => {
      const key = ExportCache.key({ state: docState(doc), format, options });
      const hit = this.cache.peek(key);
      if (hit) return { key, hit };
      const inputs = { themes: readThemes(doc), groups: readGroups(doc), modeFallbacks: readModeFallbacks(doc) };
      return { key, tokens: readTokens(doc), inputs };
    });
    if (found.hit) return found.hit;
    const { key, tokens, inputs } = found;
    try {
      const all = { ...options, ...inputs };
      return await this.cache.get(key, () => this.work.export(tokens, format, all));
    } catch (err) {
      if (err instanceof TokenNameError)
        throw new AppError(
          'token_name_collision',
          `The tokens cannot be exported as ${format}: ${err.message}`,
          err.problems,
        );
      if (err instanceof TokenExportError)
        throw new AppError('unprocessable', `The tokens cannot be exported: ${err.message}`);
      throw err;
    }
  }
}
