// Factories that build real rows through the real services and API: users, teams, members, keys.
import { randomBytes } from 'node:crypto';
import type { TeamRole } from '../../src/models/db.ts';
import type { TestServer } from './server.ts';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  name: string;
  accessToken: string;
  refreshToken: string;
}

export interface TestTeam {
  id: string;
  name: string;
  slug: string;
}

const unique = () => randomBytes(5).toString('hex');

/** Registers a user through AuthService and returns their credentials. */
export async function buildUser(
  server: TestServer,
  overrides: Partial<{ email: string; name: string; password: string }> = {},
): Promise<TestUser> {
  const email = overrides.email ?? `user-${unique()}@example.test`;
  const password = overrides.password ?? `pw-${unique()}-long-enough`;
  const name = overrides.name ?? `User ${unique()}`;
  const session = await server.services.auth.register({ email, password, name }, { ip: `factory-${unique()}` });
  return {
    id: session.user.id,
    email,
    password,
    name,
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
  };
}

/** Creates a team over the API with `owner` as its owner. */
export async function buildTeam(server: TestServer, owner: TestUser, name = `Team ${unique()}`): Promise<TestTeam> {
  const res = await server.api.as(owner).post('/api/teams', { name });
  if (res.status !== 201) throw new Error(`buildTeam failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as TestTeam;
}

/** Adds `user` to `team` with `role`, acting as the owner. */
export async function addMember(
  server: TestServer,
  team: TestTeam,
  owner: TestUser,
  user: TestUser,
  role: TeamRole,
): Promise<void> {
  const res = await server.api.as(owner).post(`/api/teams/${team.id}/members`, { userId: user.id, role });
  if (res.status !== 201) throw new Error(`addMember failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** A team with an owner, an admin, an editor and a viewer, plus an outsider in another team. */
export async function buildCrew(server: TestServer) {
  const [owner, admin, editor, viewer, outsider] = await Promise.all([
    buildUser(server),
    buildUser(server),
    buildUser(server),
    buildUser(server),
    buildUser(server),
  ]);
  const team = await buildTeam(server, owner);
  await addMember(server, team, owner, admin, 'admin');
  await addMember(server, team, owner, editor, 'editor');
  await addMember(server, team, owner, viewer, 'viewer');
  const otherTeam = await buildTeam(server, outsider);
  return { owner, admin, editor, viewer, outsider, team, otherTeam };
}

/** Creates an API key over the API and returns its secret. */
export async function buildApiKey(
  server: TestServer,
  team: TestTeam,
  admin: TestUser,
  scopes: string[],
): Promise<string> {
  const res = await server.api.as(admin).post(`/api/teams/${team.id}/api-keys`, { name: `key ${unique()}`, scopes });
  if (res.status !== 201) throw new Error(`buildApiKey failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.secret as string;
}

/** Creates a design system over the API. */
export async function buildDesignSystem(
  server: TestServer,
  team: TestTeam,
  editor: TestUser,
  name = `DS ${unique()}`,
): Promise<{ id: string; teamId: string; name: string }> {
  const res = await server.api.as(editor).post('/api/design-systems', { teamId: team.id, name });
  if (res.status !== 201) throw new Error(`buildDesignSystem failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Creates a component over the API. */
export async function buildComponent(
  server: TestServer,
  dsId: string,
  editor: TestUser,
  fields: Record<string, unknown> = {},
): Promise<{ id: string; version: number; name: string; code: string }> {
  const res = await server.api.as(editor).post(`/api/design-systems/${dsId}/components`, {
    name: `Button${unique()}`,
    category: 'actions',
    code: 'export const Button = () => null;\n',
    ...fields,
  });
  if (res.status !== 201) throw new Error(`buildComponent failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
