import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { loadSession, saveSession, setUnauthorizedHandler, signIn, type Session } from './api/client';
import { ViewerQuery } from './api/documents';
import type { ResultOf } from './api/graphql';
import { useQuery } from './api/hooks';

type Viewer = ResultOf<typeof ViewerQuery>;

export interface ConsoleContext {
  session: Session | null;
  viewer: Viewer | undefined;
  /** The tenant the pages show: the caller's own, or (for a partner) one of its clients. */
  tenantId: string;
  setTenantId: (id: string) => void;
  tenantName: string;
  isPartner: boolean;
  canOperate: boolean;
  isAdmin: boolean;
  reloadViewer: () => Promise<void>;
  signIn: (clientId: string, clientSecret: string) => Promise<void>;
  signOut: () => void;
}

const Context = createContext<ConsoleContext | null>(null);
const TENANT_KEY = 'gcp-console-tenant';

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [chosenTenant, setChosenTenant] = useState<string>(() => sessionStorage.getItem(TENANT_KEY) ?? '');
  const viewer = useQuery(ViewerQuery, {}, !session);
  useEffect(() => {
    setUnauthorizedHandler(() => {
      saveSession(null);
      setSession(null);
    });
  }, []);
  const value = useMemo<ConsoleContext>(() => {
    const own = viewer.data?.viewer.tenant;
    const tenants = viewer.data?.tenants.nodes ?? [];
    const tenantId = tenants.some((t) => t.id === chosenTenant) ? chosenTenant : (own?.id ?? '');
    const roles: string[] = viewer.data?.viewer.roles ?? [];
    return {
      session,
      viewer: viewer.data,
      tenantId,
      tenantName: tenants.find((t) => t.id === tenantId)?.name ?? own?.name ?? '',
      isPartner: own?.kind === 'PARTNER',
      isAdmin: roles.some((r) => r.toLowerCase() === 'admin'),
      canOperate: roles.some((r) => ['admin', 'operator'].includes(r.toLowerCase())),
      setTenantId: (id) => {
        sessionStorage.setItem(TENANT_KEY, id);
        setChosenTenant(id);
      },
      reloadViewer: viewer.refetch,
      signIn: async (clientId, clientSecret) => {
        const next = await signIn(clientId, clientSecret);
        saveSession(next);
        setSession(next);
      },
      signOut: () => {
        saveSession(null);
        sessionStorage.removeItem(TENANT_KEY);
        setSession(null);
      },
    };
  }, [session, viewer.data, viewer.refetch, chosenTenant]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useConsole(): ConsoleContext {
  const value = useContext(Context);
  if (!value) throw new Error('useConsole outside SessionProvider');
  return value;
}
