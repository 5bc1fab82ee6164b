import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { aliasesOf, resolveAliases, snakeAlias } from '../../src/api/aliases.ts';
import { operationId } from '../../src/api/openapi/operation-id.ts';
import { portablePattern } from '../../src/api/openapi/json-schema.ts';
import { AppError } from '../../src/utils/errors.ts';

const Query = z.object({ resourceType: z.string(), resourceId: z.string(), limit: z.string().optional() });

describe('snake_case aliases', () => {
  it('derives the snake_case spelling of multi-word names only', () => {
    expect(snakeAlias('resourceType')).toBe('resource_type');
    expect(snakeAlias('outputReferences')).toBe('output_references');
    expect(snakeAlias('limit')).toBeNull();
    expect(snakeAlias('$value')).toBeNull();
    expect([...aliasesOf(Query)]).toEqual([
      ['resource_type', 'resourceType'],
      ['resource_id', 'resourceId'],
    ]);
    expect(aliasesOf(z.string()).size).toBe(0);
  });

  it('renames aliases and leaves everything else alone', () => {
    const aliases = aliasesOf(Query);
    expect(
      resolveAliases({ resource_type: 'component', resourceId: 'x', limit: '5', other: 1 }, aliases, 'query'),
    ).toEqual({
      resourceType: 'component',
      resourceId: 'x',
      limit: '5',
      other: 1,
    });
    expect(resolveAliases(undefined, aliases, 'query')).toBeUndefined();
  });

  it('refuses both spellings of one name, naming it', () => {
    const both = () => resolveAliases({ resourceType: 'a', resource_type: 'a' }, aliasesOf(Query), 'query');
    expect(both).toThrow(AppError);
    try {
      both();
    } catch (err) {
      expect((err as AppError).details).toEqual([
        {
          path: 'query.resourceType',
          code: 'duplicate_alias',
          message: 'Give resourceType or resource_type, not both',
        },
      ]);
    }
  });
});

describe('OpenAPI helpers', () => {
  it('derives operationIds from method and path', () => {
    expect(operationId('get', '/api/auth/me')).toBe('getAuthMe');
    expect(operationId('post', '/api/design-systems/:dsId/components/:id/revert/:version')).toBe(
      'postDesignSystemsByDsIdComponentsByIdRevertByVersion',
    );
    expect(operationId('post', '/api/teams/:id/webhooks/:webhookId/rotate-secret')).toBe(
      'postTeamsByIdWebhooksByWebhookIdRotateSecret',
    );
  });

  it('tells portable patterns from Unicode-mode ones', () => {
    expect(portablePattern('^[A-Za-z][\\w-]*$')).toBe(true);
    expect(portablePattern('^\\p{Extended_Pictographic}+$')).toBe(false);
    expect(portablePattern('^\\u{1F600}$')).toBe(false);
    expect(portablePattern('([')).toBe(false);
  });
});
