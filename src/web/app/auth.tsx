import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, api, lastApiActivity, onSessionLost, setCsrfToken } from '../api/client';
import type { Me } from '../api/types';

interface Auth {
  me: Me | null;
  loading: boolean;
  can(permission: string | string[] | undefined): boolean;
  signedIn(me: Me): void;
  logout(): Promise<void>;
  refresh(): Promise<unknown>;
}

const AuthContext = createContext<Auth | null>(null);
/**
 * Why the last /auth/me found no session (an idle timeout noticed on page load), for the login page's message. Kept
 * until the next sign-in or sign-out: it is read while rendering, and a render may run more than once before the
 * redirect it produces takes effect (clearing it on read lost the reason when the guard rendered twice).
 */
let lostReason: string | null = null;
export const lostSessionReason = () => lostReason;
export const ME_KEY = ['auth', 'me'] as const;

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const meQuery = useQuery({
    queryKey: ME_KEY,
    queryFn: async () => {
      try {
        return await api.get<Me>('/v1/auth/me', { quiet401: true });
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) {
          if (e.code === 'SESSION_EXPIRED' || e.code === 'ACCOUNT_DISABLED') lostReason = e.code;
          return null;
        }
        throw e;
      }
    },
    staleTime: 5 * 60_000,
    retry: false,
  });
  const me = meQuery.data ?? null;
  useEffect(() => setCsrfToken(me?.csrfToken ?? null), [me]);

  // A 401 on any call (idle timeout, account disabled meanwhile): forget everything and go to the login page.
  useEffect(
    () =>
      onSessionLost((code) => {
        setCsrfToken(null);
        qc.clear();
        qc.setQueryData(ME_KEY, null);
        const back = window.location.pathname + window.location.search;
        navigate(
          `/login?reason=${encodeURIComponent(code)}${back && back !== '/login' ? `&next=${encodeURIComponent(back)}` : ''}`,
          {
            replace: true,
          },
        );
      }),
    [qc, navigate],
  );

  // Idle timeout: after the server's idle minutes without a call, ask /auth/me; the 401 it answers leads to login.
  useEffect(() => {
    if (!me) return;
    const idleMs = me.sessionIdleMinutes * 60_000;
    const timer = setInterval(() => {
      if (Date.now() - lastApiActivity() > idleMs + 5_000) void api.get('/v1/auth/me').catch(() => {});
    }, 30_000);
    return () => clearInterval(timer);
  }, [me]);

  const signedIn = useCallback(
    (m: Me) => {
      lostReason = null;
      setCsrfToken(m.csrfToken);
      qc.setQueryData(ME_KEY, m);
    },
    [qc],
  );
  const logout = useCallback(async () => {
    try {
      await api.post('/v1/auth/logout');
    } finally {
      lostReason = null;
      setCsrfToken(null);
      qc.clear();
      qc.setQueryData(ME_KEY, null);
      navigate('/login', { replace: true });
    }
  }, [qc, navigate]);

  const value = useMemo<Auth>(
    () => ({
      me,
      loading: meQuery.isLoading,
      can: (p) => {
        if (!p) return true;
        if (!me) return false;
        const list = Array.isArray(p) ? p : [p];
        return list.some((x) => me.permissions.includes(x));
      },
      signedIn,
      logout,
      refresh: () => meQuery.refetch(),
    }),
    [me, meQuery, signedIn, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}

/** The signed-in user (only inside the authenticated layout). */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe without a session');
  return me;
}
