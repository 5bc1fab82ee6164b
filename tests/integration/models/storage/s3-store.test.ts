import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'minio';
import { createS3Store } from '../../../../src/models/storage/s3-store.ts';
import type { ObjectStore } from '../../../../src/models/storage/object-store.ts';
import { startS3StandIn } from '../../../support/standins/s3.ts';
import type { S3StandIn } from '../../../support/standins/s3.ts';
import { objectStoreContract } from './contract.ts';

let s3: S3StandIn;
let store: ObjectStore;
let admin: Client;
let contractBucket: string;

const bucketName = () => `ensemble-${randomBytes(4).toString('hex')}`;
const storeFor = (bucket: string) =>
  createS3Store({
    endPoint: s3.endPoint,
    port: s3.port,
    useSSL: false,
    accessKey: s3.accessKey,
    secretKey: s3.secretKey,
    bucket,
  });

beforeAll(async () => {
  s3 = await startS3StandIn();
  admin = new Client({
    endPoint: s3.endPoint,
    port: s3.port,
    useSSL: false,
    accessKey: s3.accessKey,
    secretKey: s3.secretKey,
  });
  contractBucket = bucketName();
  store = storeFor(contractBucket);
});

afterAll(async () => {
  await s3.close();
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

describe('S3 object store', () => {
  it('is the s3 kind', () => {
    expect(store.kind).toBe('s3');
  });

  objectStoreContract(() => store, { listsPercentKeys: false });

  it('creates its bucket in ready()', async () => {
    const bucket = bucketName();
    expect(await admin.bucketExists(bucket)).toBe(false);
    await storeFor(bucket).ready();
    expect(await admin.bucketExists(bucket)).toBe(true);
  });

  it('creates its bucket on first use without ready()', async () => {
    const bucket = bucketName();
    await storeFor(bucket).put('k/v.txt', Buffer.from('v'), 'text/plain');
    expect(await admin.bucketExists(bucket)).toBe(true);
  });

  it('uses a bucket that already exists', async () => {
    const bucket = bucketName();
    await admin.makeBucket(bucket, 'us-east-1');
    const existing = storeFor(bucket);
    await existing.ready();
    await existing.put('k/v.txt', Buffer.from('v'), 'text/plain');
    expect(await existing.head('k/v.txt')).toMatchObject({ size: 1, contentType: 'text/plain' });
  });

  it('keeps the content type as S3 metadata', async () => {
    await store.put('meta/logo.svg', Buffer.from('<svg/>'), 'image/svg+xml');
    const stat = await admin.statObject(contractBucket, 'meta/logo.svg');
    expect(stat.metaData['content-type']).toBe('image/svg+xml');
  });

  it('is not ready when the endpoint is unreachable', async () => {
    const port = await closedPort();
    const unreachable = createS3Store({
      endPoint: '127.0.0.1',
      port,
      useSSL: false,
      accessKey: 'a',
      secretKey: 'b',
      bucket: 'assets',
    });
    await expect(unreachable.ready()).rejects.toThrow();
    await expect(unreachable.head('k/v.txt')).rejects.toThrow();
  });
});
