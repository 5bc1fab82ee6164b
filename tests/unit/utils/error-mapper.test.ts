import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { AppError } from '../../../src/utils/errors.ts';
import { toPublicError } from '../../../src/utils/error-mapper.ts';

describe('toPublicError', () => {
  it('keeps AppError codes, messages, details and headers', () => {
    const err = new AppError('rate_limited', undefined, { retryAfterSeconds: 3 }, { 'Retry-After': '3' });
    expect(toPublicError(err)).toMatchObject({
      status: 429,
      code: 'rate_limited',
      details: { retryAfterSeconds: 3 },
      headers: { 'Retry-After': '3' },
    });
  });

  it('turns zod errors into validation details naming each field', () => {
    const result = z.object({ a: z.string(), b: z.object({ c: z.number() }) }).safeParse({ a: 1, b: { c: 'x' } });
    const mapped = toPublicError(result.error);
    expect(mapped.status).toBe(400);
    expect((mapped.details as { path: string }[]).map((d) => d.path)).toEqual(['a', 'b.c']);
  });

  it('maps known Prisma errors without their text', () => {
    const prisma = Object.assign(new Error('Unique constraint failed on the fields: (`email`) SELECT ...'), {
      name: 'PrismaClientKnownRequestError',
      code: 'P2002',
    });
    const mapped = toPublicError(prisma);
    expect(mapped).toMatchObject({ status: 409, code: 'conflict' });
    expect(mapped.message).not.toContain('SELECT');
  });

  it('hides anything unknown behind internal', () => {
    const mapped = toPublicError(new Error('connect ECONNREFUSED 10.0.0.5:5432'));
    expect(mapped).toEqual({
      status: 500,
      code: 'internal',
      message: 'Something went wrong on our side',
      details: undefined,
      headers: {},
    });
  });
});
