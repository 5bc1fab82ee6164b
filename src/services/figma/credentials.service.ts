// A user's Figma personal access token: checked once against Figma's GET /v1/me, stored sealed
// (secret-box), never shown again. Figma work on behalf of a user opens it here.
import type { Db } from '../../models/db.ts';
import { AppError } from '../../utils/errors.ts';
import type { SecretBox } from '../../utils/secret-box.ts';
import type { Actor } from '../actor.ts';
import { FigmaApi, type FigmaApiSettings } from './figma-api.ts';
import { askFigma } from './figma-errors.ts';

/** What clients see of a stored credential: never the token. */
export interface FigmaCredentialView {
  connected: boolean;
  figmaUserId: string | null;
  handle: string | null;
  updatedAt: string | null;
}

const userOf = (actor: Actor): string => {
  // A team API key has no Figma account of its own.
  if (actor.kind !== 'user') throw new AppError('user_required', 'Figma tokens belong to signed-in users');
  return actor.userId;
};

/** Per-user Figma tokens. */
export class FigmaCredentials {
  private readonly db: Db;
  private readonly box: SecretBox;
  private readonly api: FigmaApiSettings;

  constructor(db: Db, box: SecretBox, api: FigmaApiSettings) {
    this.db = db;
    this.box = box;
    this.api = api;
  }

  /** Checks the token with Figma and stores it sealed; a refused token is told and not stored. */
  async set(actor: Actor, token: string): Promise<FigmaCredentialView> {
    const userId = userOf(actor);
    const me = await askFigma(() => new FigmaApi(this.api, token).me());
    const data = { tokenEncrypted: this.box.seal(token), figmaUserId: String(me.id), figmaHandle: me.handle };
    const row = await this.db.figmaCredential.upsert({ where: { userId }, create: { userId, ...data }, update: data });
    return {
      connected: true,
      figmaUserId: row.figmaUserId,
      handle: row.figmaHandle,
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  /** Whether the user has a token, and whose Figma account it is. */
  async get(actor: Actor): Promise<FigmaCredentialView> {
    const row = await this.db.figmaCredential.findUnique({ where: { userId: userOf(actor) } });
    return {
      connected: Boolean(row),
      figmaUserId: row?.figmaUserId ?? null,
      handle: row?.figmaHandle ?? null,
      updatedAt: row?.updatedAt.toISOString() ?? null,
    };
  }

  /** Forgets the user's token (nothing to forget is fine). */
  async remove(actor: Actor): Promise<void> {
    await this.db.figmaCredential.deleteMany({ where: { userId: userOf(actor) } });
  }

  /** The API as the user's token sees it; `figma_not_connected` when there is none. */
  async apiFor(userId: string): Promise<FigmaApi> {
    const row = await this.db.figmaCredential.findUnique({ where: { userId } });
    if (!row) throw new AppError('figma_not_connected');
    let token: string;
    try {
      token = this.box.open(row.tokenEncrypted);
    } catch {
      // Sealed under another JWT_SECRET (rotated since): only the user can give it again.
      throw new AppError(
        'figma_token_rejected',
        'Your stored Figma token can no longer be read (the server secret changed); set it again with PUT /api/users/me/figma',
      );
    }
    return new FigmaApi(this.api, token);
  }

  /** The API as the acting user's token sees it; API keys have no Figma token (`user_required`). */
  apiForActor(actor: Actor): Promise<FigmaApi> {
    return this.apiFor(userOf(actor));
  }
}
