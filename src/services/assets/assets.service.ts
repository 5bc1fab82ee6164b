// Design-system assets (icons, fonts, images) in object storage under per-team key prefixes.
// Content types come from the bytes, not the client; sizes are capped.
import { createHash } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import type { Asset, Db } from '../../models/db.ts';
import type { ObjectBody, ObjectStore } from '../../models/storage/index.ts';
import { afterCursor, page } from '../../utils/cursor.ts';
import { AppError, notFound } from '../../utils/errors.ts';
import { authorId, type Actor } from '../actor.ts';
import type { DesignSystemService } from '../design-systems/design-systems.service.ts';
import { eventActor } from '../events/actor.ts';
import type { EventBus } from '../events/bus.ts';
import type { AssetRef, AssetUrlSigner } from './asset-urls.ts';
import { safeFilename, sniffFileType } from './file-types.ts';

/** The storage prefix of everything a team owns. */
export const teamPrefix = (teamId: string): string => `teams/${teamId}/`;

/** Upload, list, download and delete assets. */
export class AssetService {
  private readonly db: Db;
  private readonly store: ObjectStore;
  private readonly events: EventBus;
  private readonly designSystems: DesignSystemService;
  private readonly maxBytes: number;
  private readonly signer: AssetUrlSigner;

  constructor(
    db: Db,
    store: ObjectStore,
    events: EventBus,
    designSystems: DesignSystemService,
    maxBytes: number,
    signer: AssetUrlSigner,
  ) {
    this.db = db;
    this.store = store;
    this.events = events;
    this.designSystems = designSystems;
    this.maxBytes = maxBytes;
    this.signer = signer;
  }

  /** Stores an uploaded file after checking its size and what it really is. */
  async upload(
    actor: Actor,
    dsId: string,
    file: { filename: string; declaredType: string; data: Buffer },
  ): Promise<Asset> {
    const ds = await this.designSystems.require(actor, dsId, 'designSystem:write');
    if (file.data.byteLength === 0)
      throw new AppError('validation_failed', 'The file is empty', [
        { path: 'file', code: 'empty', message: 'The file is empty' },
      ]);
    if (file.data.byteLength > this.maxBytes)
      throw new AppError('payload_too_large', `Assets are limited to ${this.maxBytes} bytes`);
    const type = sniffFileType(file.data);
    if (!type)
      throw new AppError('unsupported_media_type', 'Assets must be PNG, JPEG, GIF, WebP, SVG, WOFF, WOFF2, TTF or OTF');
    const id = randomUUID();
    const filename = safeFilename(file.filename);
    const key = `${teamPrefix(ds.teamId)}design-systems/${ds.id}/assets/${id}/${filename}`;
    await this.store.put(key, file.data, type.contentType);
    const asset = await this.db.asset.create({
      data: {
        id,
        teamId: ds.teamId,
        designSystemId: ds.id,
        key,
        filename,
        contentType: type.contentType,
        size: file.data.byteLength,
        checksum: createHash('sha256').update(file.data).digest('hex'),
        uploadedById: authorId(actor),
      },
    });
    this.events.publish(
      'asset.uploaded',
      { teamId: ds.teamId, designSystemId: ds.id, assetId: id, filename, size: asset.size },
      eventActor(actor),
    );
    return asset;
  }

  /** A design system's assets, newest first. */
  async list(actor: Actor, dsId: string, query: { limit: number; cursor?: string | undefined }) {
    await this.designSystems.require(actor, dsId, 'designSystem:read');
    const rows = await this.db.asset.findMany({
      where: { designSystemId: dsId, ...afterCursor(query.cursor, 'desc') },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    return page(rows, query.limit);
  }

  /** An asset's row. */
  async get(actor: Actor, dsId: string, assetId: string): Promise<Asset> {
    await this.designSystems.require(actor, dsId, 'designSystem:read');
    const asset = await this.db.asset.findFirst({ where: { id: assetId, designSystemId: dsId } });
    if (!asset) throw notFound();
    return asset;
  }

  /** An asset's row and bytes. */
  async download(actor: Actor, dsId: string, assetId: string): Promise<{ asset: Asset; body: ObjectBody }> {
    const asset = await this.get(actor, dsId, assetId);
    const body = await this.store.get(asset.key);
    if (!body) throw notFound();
    return { asset, body };
  }

  /** A signature for reading an asset the actor may read, valid `ttlSeconds` for whoever holds it. */
  async sign(
    actor: Actor,
    dsId: string,
    assetId: string,
    ttlSeconds: number,
  ): Promise<{ asset: Asset; expires: number; signature: string }> {
    const asset = await this.get(actor, dsId, assetId);
    const expires = Math.floor(Date.now() / 1000) + ttlSeconds;
    return { asset, expires, signature: this.signer.sign({ dsId: asset.designSystemId, assetId: asset.id }, expires) };
  }

  /** An asset's row and bytes by signature, no actor: a deleted asset (or design system) is gone for good. */
  async downloadSigned(ref: AssetRef, expires: number, signature: string): Promise<{ asset: Asset; body: ObjectBody }> {
    this.signer.verify(ref, expires, signature);
    const asset = await this.db.asset.findFirst({ where: { id: ref.assetId, designSystemId: ref.dsId } });
    const body = asset && (await this.store.get(asset.key));
    if (!asset || !body) throw notFound();
    return { asset, body };
  }

  /** Deletes an asset from storage and the database. */
  async remove(actor: Actor, dsId: string, assetId: string): Promise<void> {
    const ds = await this.designSystems.require(actor, dsId, 'designSystem:write');
    const asset = await this.get(actor, dsId, assetId);
    await this.store.delete(asset.key);
    await this.db.asset.delete({ where: { id: asset.id } });
    this.events.publish('asset.deleted', { teamId: ds.teamId, designSystemId: dsId, assetId }, eventActor(actor));
  }
}
