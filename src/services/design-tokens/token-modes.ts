// A design system's modes (docs/tokens.md#modes): those its tokens have values for, its Tokens
// Studio themes, and the fallback each mode may have, kept in the tokens document.
import { AppError } from '../../utils/errors.ts';
import type { Actor } from '../actor.ts';
import type { DesignSystemService } from '../design-systems/design-systems.service.ts';
import type { DocumentService } from '../documents/document.service.ts';
import { tokensDoc } from '../documents/document-names.ts';
import { readModeFallbacks, readThemes, readTokens, writeModeFallback } from '../documents/tokens-doc.ts';
import { fallbackProblem, listModes, type ModeSummary } from '../tokens/modes.ts';

/** Lists modes and sets their fallbacks. */
export class TokenModes {
  private readonly documents: DocumentService;
  private readonly designSystems: DesignSystemService;

  constructor(documents: DocumentService, designSystems: DesignSystemService) {
    this.documents = documents;
    this.designSystems = designSystems;
  }

  /** The modes, with how many tokens have a value of their own in each. */
  async list(actor: Actor, dsId: string): Promise<ModeSummary[]> {
    await this.designSystems.require(actor, dsId, 'designSystem:read');
    return this.documents.read(tokensDoc(dsId), actor, (doc) =>
      listModes(readTokens(doc).values(), readThemes(doc), readModeFallbacks(doc)),
    );
  }

  /** Sets the mode whose values `mode` takes where it has none of its own (null removes it). */
  async setFallback(actor: Actor, dsId: string, mode: string, fallback: string | null): Promise<ModeSummary> {
    await this.designSystems.require(actor, dsId, 'designSystem:write');
    await this.documents.transact(tokensDoc(dsId), actor, (doc) => {
      const problem = fallback === null ? undefined : fallbackProblem(mode, fallback, readModeFallbacks(doc));
      if (problem) throw new AppError('unprocessable', `Mode ${mode}: ${problem}`);
      writeModeFallback(doc, mode, fallback);
    });
    const modes = await this.list(actor, dsId);
    return modes.find((m) => m.name === mode) ?? { name: mode, tokens: 0, theme: false, fallback: null };
  }
}
