// Which team, design system and component the page shows (deep link
// `/demo?ds=<designSystemId>&component=<componentId>`), creating a starter set when the user has
// none, inviting a teammate by email and accepting invitations addressed to this user.
import { useClient } from '@ensemble/client/react';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { describe, type User } from './session.ts';
import { STARTER_TOKENS, starterCode } from './starter.ts';

export interface Team {
  id: string;
  name: string;
  role: string;
}
export interface DesignSystem {
  id: string;
  teamId: string;
  name: string;
  version: string;
}
export interface Component {
  id: string;
  name: string;
  category: string;
  status: string;
}
interface Invitation {
  id: string;
  team: { id: string; name: string };
  role: string;
}
type Page<T> = { items: T[] };

export interface PickerState {
  teams: Team[] | null;
  team: Team | null;
  systems: DesignSystem[];
  ds: DesignSystem | null;
  components: Component[];
  component: Component | null;
  invitations: Invitation[];
  error: string | null;
  selectTeam: (id: string) => void;
  selectDs: (id: string) => void;
  selectComponent: (id: string) => void;
  /** Reloads the components (after an AI generation created one) and opens `id`. */
  openComponent: (id: string) => void;
  createStarter: () => Promise<void>;
  createComponent: (name: string) => Promise<void>;
  accept: (invitation: Invitation) => Promise<void>;
}

/** The picker's state: lists from REST, the selection mirrored in the URL. */
export function usePicker(user: User, onJoinedTeam: () => void): PickerState {
  const client = useClient();
  const query = new URLSearchParams(location.search);
  const [teams, setTeams] = useState<Team[] | null>(null);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [systems, setSystems] = useState<DesignSystem[]>([]);
  const [dsId, setDsId] = useState<string | null>(query.get('ds'));
  const [components, setComponents] = useState<Component[]>([]);
  const [componentId, setComponentId] = useState<string | null>(query.get('component'));
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const fail = useCallback((err: unknown) => setError(describe(err)), []);

  // Teams and my invitations; a deep link picks the design system's team.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `reload` asks for a refetch; the query is read on load
  useEffect(() => {
    client.api<Page<Invitation>>('/api/invitations').then(({ items }) => setInvitations(items), fail);
    client.api<Page<Team>>('/api/teams').then(async ({ items }) => {
      setTeams(items);
      const linked = query.get('ds');
      if (linked) {
        const ds = await client.api<DesignSystem>(`/api/design-systems/${linked}`).catch(() => null);
        if (ds) return setTeamId(ds.teamId);
        setError('The linked design system was not found: ask its team for an invitation.');
        setDsId(null);
      }
      setTeamId((current) => current ?? items[0]?.id ?? null);
    }, fail);
  }, [client, fail, reload]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `reload` asks for a refetch
  useEffect(() => {
    if (!teamId) return setSystems([]);
    client.api<Page<DesignSystem>>('/api/design-systems', { query: { teamId, limit: 100 } }).then(({ items }) => {
      setSystems(items);
      setDsId((current) => (current && items.some((d) => d.id === current) ? current : (items[0]?.id ?? null)));
    }, fail);
  }, [client, teamId, fail, reload]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `reload` asks for a refetch
  useEffect(() => {
    if (!dsId) return setComponents([]);
    client
      .api<Page<Component>>(`/api/design-systems/${dsId}/components`, { query: { limit: 100 } })
      .then(({ items }) => {
        setComponents(items);
        setComponentId((current) =>
          current && items.some((c) => c.id === current) ? current : (items[0]?.id ?? null),
        );
      }, fail);
  }, [client, dsId, fail, reload]);

  // The selection in the address bar: a link to share with a teammate.
  useEffect(() => {
    const url = new URL(location.href);
    for (const [key, value] of [
      ['ds', dsId],
      ['component', componentId],
    ] as const) {
      if (value) url.searchParams.set(key, value);
      else url.searchParams.delete(key);
    }
    history.replaceState(null, '', url);
  }, [dsId, componentId]);

  const createComponent = useCallback(
    async (name: string) => {
      if (!dsId) return;
      try {
        const made = await client.api<Component>(`/api/design-systems/${dsId}/components`, {
          body: { name, category: 'actions', code: starterCode(name) },
        });
        setComponentId(made.id);
        setReload((n) => n + 1);
      } catch (err) {
        fail(err);
      }
    },
    [client, dsId, fail],
  );

  const createStarter = useCallback(async () => {
    try {
      const existing = teams?.find((t) => t.id === teamId);
      const team = existing ?? (await client.api<Team>('/api/teams', { body: { name: `${user.name}'s team` } }));
      const ds = await client.api<DesignSystem>('/api/design-systems', {
        body: { teamId: team.id, name: 'Starter kit', version: '0.1.0' },
      });
      for (const token of STARTER_TOKENS) await client.api(`/api/design-systems/${ds.id}/tokens`, { body: token });
      const button = await client.api<Component>(`/api/design-systems/${ds.id}/components`, {
        body: { name: 'Button', category: 'actions', code: starterCode('Button') },
      });
      setTeamId(team.id);
      setDsId(ds.id);
      setComponentId(button.id);
      setError(null);
      if (existing) setReload((n) => n + 1);
      else onJoinedTeam();
    } catch (err) {
      fail(err);
    }
  }, [client, teams, teamId, user.name, fail, onJoinedTeam]);

  const accept = useCallback(
    async (invitation: Invitation) => {
      try {
        await client.api(`/api/invitations/${invitation.id}/accept`, { method: 'POST' });
        setTeamId(invitation.team.id);
        setDsId(null);
        onJoinedTeam();
      } catch (err) {
        fail(err);
      }
    },
    [client, fail, onJoinedTeam],
  );

  return {
    teams,
    team: teams?.find((t) => t.id === teamId) ?? null,
    systems,
    ds: systems.find((d) => d.id === dsId) ?? null,
    components,
    component: components.find((c) => c.id === componentId) ?? null,
    invitations,
    error,
    selectTeam: (id) => {
      setTeamId(id);
      setDsId(null);
    },
    selectDs: (id) => {
      setDsId(id);
      setComponentId(null);
    },
    selectComponent: setComponentId,
    openComponent: (id) => {
      setComponentId(id);
      setReload((n) => n + 1);
    },
    createStarter,
    createComponent,
    accept,
  };
}

/** The sidebar: team, design system and component lists, invitations. */
export function Picker({ picker }: { picker: PickerState }) {
  const { teams, team, systems, ds, components, component, invitations } = picker;
  const [name, setName] = useState('');
  const add = (e: FormEvent) => {
    e.preventDefault();
    if (/^[A-Z][A-Za-z0-9]*$/.test(name)) void picker.createComponent(name).then(() => setName(''));
  };
  return (
    <nav className="picker" aria-label="Workspace">
      {invitations.length > 0 && (
        <section className="invitations">
          <h3>Invitations</h3>
          {invitations.map((inv) => (
            <div key={inv.id} className="invitation">
              <span>
                <strong>{inv.team.name}</strong> invited you as {inv.role}
              </span>
              <button
                data-testid="invitation-accept"
                className="small primary"
                type="button"
                onClick={() => void picker.accept(inv)}
              >
                Join
              </button>
            </div>
          ))}
        </section>
      )}
      {teams && teams.length === 0 && (
        <section className="empty-state">
          <p>
            You are not in a team yet. Start one with a design system, five tokens and a Button, or join a team that
            invited you.
          </p>
          <button
            data-testid="create-starter"
            className="primary"
            type="button"
            onClick={() => void picker.createStarter()}
          >
            Create a starter design system
          </button>
        </section>
      )}
      {teams && teams.length > 0 && (
        <>
          <label className="field">
            Team
            <select
              data-testid="team-select"
              value={team?.id ?? ''}
              onChange={(e) => picker.selectTeam(e.target.value)}
            >
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} ({t.role})
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Design system
            <select data-testid="ds-select" value={ds?.id ?? ''} onChange={(e) => picker.selectDs(e.target.value)}>
              {systems.length === 0 && <option value="">None yet</option>}
              {systems.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name} · v{d.version}
                </option>
              ))}
            </select>
          </label>
          {systems.length === 0 && (
            <button data-testid="create-starter" type="button" onClick={() => void picker.createStarter()}>
              Create a starter design system
            </button>
          )}
        </>
      )}
      {ds && (
        <section>
          <h3>Components</h3>
          <ul className="components">
            {components.map((c) => (
              <li key={c.id}>
                <button
                  data-testid="component-link"
                  type="button"
                  className={c.id === component?.id ? 'current' : ''}
                  onClick={() => picker.selectComponent(c.id)}
                >
                  <span>{c.name}</span>
                  <span className={`status status-${c.status}`}>{c.status}</span>
                </button>
              </li>
            ))}
          </ul>
          <form className="row" onSubmit={add}>
            <input
              data-testid="component-name"
              placeholder="NewComponent"
              pattern="[A-Z][A-Za-z0-9]*"
              title="PascalCase"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
            <button data-testid="component-create" className="small" type="submit">
              Add
            </button>
          </form>
        </section>
      )}
      {picker.error && (
        <p className="error" role="alert">
          {picker.error}
        </p>
      )}
    </nav>
  );
}
