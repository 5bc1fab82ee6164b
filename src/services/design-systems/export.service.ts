// The whole design system as one JSON document: DTCG tokens and every component with its content.
import type { Db } from '../../models/db.ts';
import { presentComponent, presentDesignSystem } from '../../models/presenters/design-system.presenter.ts';
import type { Actor } from '../actor.ts';
import type { DocumentService } from '../documents/document.service.ts';
import { tokensDoc } from '../documents/document-names.ts';
import { readGroups, readModeFallbacks, readThemes, readTokens } from '../documents/tokens-doc.ts';
import { toDtcg } from '../tokens/export/dtcg.ts';
import type { Materialiser } from '../documents/materialiser.ts';
import { componentDoc } from '../documents/document-names.ts';
import type { DesignSystemService } from './design-systems.service.ts';

/** Builds design-system exports. */
export class ExportService {
  private readonly db: Db;
  private readonly documents: DocumentService;
  private readonly materialiser: Materialiser;
  private readonly designSystems: DesignSystemService;

  constructor(db: Db, documents: DocumentService, materialiser: Materialiser, designSystems: DesignSystemService) {
    this.db = db;
    this.documents = documents;
    this.materialiser = materialiser;
    this.designSystems = designSystems;
  }

  /** `GET /api/design-systems/:id/export`. */
  async designSystem(actor: Actor, id: string) {
    const ds = await this.designSystems.require(actor, id, 'designSystem:read');
    const { tokens, groups, themes, modeFallbacks } = await this.documents.read(tokensDoc(id), actor, (doc) => ({
      tokens: readTokens(doc),
      groups: readGroups(doc),
      themes: readThemes(doc),
      modeFallbacks: readModeFallbacks(doc),
    }));
    const ids = await this.db.component.findMany({ where: { designSystemId: id }, select: { id: true } });
    await Promise.all(ids.map((c) => this.materialiser.flush(componentDoc(c.id))));
    const components = await this.db.component.findMany({ where: { designSystemId: id }, orderBy: { name: 'asc' } });
    return {
      format: 'ensemble.design-system/1',
      exportedAt: new Date().toISOString(),
      designSystem: presentDesignSystem(ds),
      tokens: toDtcg(tokens, groups),
      themes,
      modeFallbacks,
      components: components.map((c) => {
        const { id: componentId, name, category, status, props, code, documentation, version } = presentComponent(c);
        return { id: componentId, name, category, status, props, code, documentation, version };
      }),
    };
  }
}
