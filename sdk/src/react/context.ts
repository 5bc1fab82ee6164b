// The providers: one EnsembleClient for the tree, and one joined design-system room per subtree.
import { createContext, createElement, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { EnsembleClient, type EnsembleClientOptions } from '../client.ts';
import type { EnsembleError } from '../errors.ts';
import { toEnsembleError } from '../errors.ts';
import type { DesignSystemRoom } from '../room.ts';
import type { PresenceChange } from '../types.ts';

const ClientContext = createContext<EnsembleClient | null>(null);
const RoomContext = createContext<{ room: DesignSystemRoom | null; error: EnsembleError | null } | null>(null);

export type EnsembleProviderProps = { children?: ReactNode } & ({ client: EnsembleClient } | EnsembleClientOptions);

/** Gives the tree a client: the one passed, or one made from the options (closed on unmount). */
export function EnsembleProvider(props: EnsembleProviderProps) {
  const given = 'client' in props ? props.client : null;
  const url = 'url' in props ? props.url : null;
  const [own, setOwn] = useState<EnsembleClient | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new client only for a new server (the token option is a function or stays the same)
  useEffect(() => {
    if (given || !url) return;
    const { children: _children, ...options } = props as EnsembleClientOptions & { children?: ReactNode };
    const made = new EnsembleClient(options);
    setOwn(made);
    return () => made.close();
  }, [given, url]);
  const client = given ?? own;
  return client ? createElement(ClientContext.Provider, { value: client }, props.children) : null;
}

/** The client of the nearest EnsembleProvider. */
export function useClient(): EnsembleClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient: wrap the tree in <EnsembleProvider>');
  return client;
}

export interface RoomProviderProps {
  /** The design system's id. */
  id: string;
  /** Sent once joined (status, custom state). */
  initialPresence?: PresenceChange;
  children?: ReactNode;
}

/** Joins a design system's room for the subtree; leaves it on unmount. */
export function RoomProvider({ id, initialPresence, children }: RoomProviderProps) {
  const client = useClient();
  const [state, setState] = useState<{ room: DesignSystemRoom | null; error: EnsembleError | null }>({
    room: null,
    error: null,
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: initialPresence is what the join starts with, not a reason to rejoin
  useEffect(() => {
    let current: DesignSystemRoom | null = null;
    let gone = false;
    setState({ room: null, error: null });
    client.joinDesignSystem(id).then(
      (room) => {
        if (gone) return void room.leave().catch(() => undefined);
        current = room;
        setState({ room, error: null });
        if (initialPresence) room.updatePresence(initialPresence).catch((err: unknown) => client.report(err));
      },
      (err: unknown) => !gone && setState({ room: null, error: toEnsembleError(err) }),
    );
    return () => {
      gone = true;
      current?.leave().catch(() => undefined);
    };
  }, [client, id]);
  const value = useMemo(() => state, [state]);
  return createElement(RoomContext.Provider, { value }, children);
}

/** The nearest RoomProvider's room (null until joined) and the join's failure, if any. */
export function useRoomState(): { room: DesignSystemRoom | null; error: EnsembleError | null } {
  const state = useContext(RoomContext);
  if (!state) throw new Error('useRoom: wrap the component in <RoomProvider>');
  return state;
}

/** The nearest RoomProvider's room, null until joined. */
export function useRoom(): DesignSystemRoom | null {
  return useRoomState().room;
}
