// Assertions on the one error shape.
import { expect } from '@jest/globals';
import type { Response } from 'supertest';

/** Expects `{ error: { code, message } }` with the given status and code. */
export function expectError(res: Response, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(typeof res.body.error.message).toBe('string');
}

/** Expects a 400 whose details name `field`. */
export function expectInvalidField(res: Response, field: string): void {
  expectError(res, 400, 'validation_failed');
  expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
}

/** Expects the exact 404 a missing resource gets, so other teams' resources are indistinguishable. */
export function expectHidden(res: Response): void {
  expect(res.status).toBe(404);
  expect(res.body).toEqual({ error: { code: 'not_found', message: 'Not found' } });
}
