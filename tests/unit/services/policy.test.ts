import { describe, expect, it } from '@jest/globals';
import type { Actor, Role } from '../../../src/services/actor.ts';
import { authorize, can, roleForScopes, type Action } from '../../../src/services/policy.ts';
import type { AppError } from '../../../src/utils/errors.ts';

const team = { teamId: 't1' };
const user = (role: Role | null): Actor => ({ kind: 'user', userId: 'u', roles: new Map(role ? [['t1', role]] : []) });
const key = (scopes: ('read' | 'write' | 'admin')[]): Actor => ({
  kind: 'apiKey',
  apiKeyId: 'k',
  teamId: 't1',
  scopes,
  createdById: 'u',
  roles: new Map([['t1', roleForScopes(scopes)]]),
});

const codeOf = (fn: () => void) => {
  try {
    fn();
    return 'allowed';
  } catch (err) {
    return (err as AppError).code;
  }
};

describe('can', () => {
  const matrix: [Action, Record<Role, boolean>][] = [
    ['team:read', { viewer: true, editor: true, admin: true, owner: true }],
    ['designSystem:write', { viewer: false, editor: true, admin: true, owner: true }],
    ['member:manage', { viewer: false, editor: false, admin: true, owner: true }],
    ['team:delete', { viewer: false, editor: false, admin: false, owner: true }],
  ];
  it.each(matrix)('%s follows the role ladder', (action, expected) => {
    for (const role of Object.keys(expected) as Role[])
      expect([role, can(user(role), action, team)]).toEqual([role, expected[role]]);
  });

  it('never allows outsiders', () => {
    expect(can(user(null), 'team:read', team)).toBe(false);
  });

  it('maps API key scopes to roles and keeps key management for people', () => {
    expect(can(key(['read']), 'team:read', team)).toBe(true);
    expect(can(key(['read']), 'designSystem:write', team)).toBe(false);
    expect(can(key(['write']), 'designSystem:write', team)).toBe(true);
    expect(can(key(['admin']), 'member:manage', team)).toBe(true);
    expect(can(key(['admin']), 'apiKey:manage', team)).toBe(false);
    expect(can(key(['admin']), 'team:delete', team)).toBe(false);
    // A key never makes (or unmakes) an admin or an owner: an admin it made could mint admin keys.
    expect(can(key(['admin']), 'member:manageAdmins', team)).toBe(false);
    expect(can(key(['admin']), 'member:manageOwners', team)).toBe(false);
    expect(can(user('admin'), 'member:manageAdmins', team)).toBe(true);
  });
});

describe('authorize', () => {
  it('hides other teams as not_found and refuses weak roles as forbidden', () => {
    expect(codeOf(() => authorize(user(null), 'team:read', team))).toBe('not_found');
    expect(codeOf(() => authorize(user('viewer'), 'team:update', team))).toBe('forbidden');
    expect(codeOf(() => authorize(user('admin'), 'team:update', team))).toBe('allowed');
    expect(codeOf(() => authorize(key(['read']), 'designSystem:write', team))).toBe('insufficient_scope');
    expect(codeOf(() => authorize(key(['admin']), 'apiKey:manage', team))).toBe('user_required');
  });
});
