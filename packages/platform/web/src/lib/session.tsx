/**
 * Who is signed in. On load the app asks the platform (GET /auth/session): the cookie is HttpOnly,
 * so the answer is the only way to know, and it hands back the CSRF token kept in memory.
 */
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from "react";
import { ApiError, onSessionLost, request, setCsrfToken } from "../api/client.ts";
import type { Session, SessionUser } from "../api/types.ts";

export type SessionState =
  | { status: "loading" }
  | { status: "unreachable"; message: string }
  | { status: "signed-out"; setupNeeded: boolean; notice?: string }
  | { status: "signed-in"; user: SessionUser };

interface SessionApi {
  state: SessionState;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  completeSetup: (body: { email: string; password: string; organization: string }) => Promise<void>;
  retry: () => void;
}

const SessionContext = createContext<SessionApi | null>(null);

async function setupNeeded(): Promise<boolean> {
  try {
    const answer = await request<{ needed: boolean }>("GET", "/setup", { anonymous: true });
    return answer.needed;
  } catch {
    return false;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);

  const accept = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setState({ status: "signed-in", user: session.user });
  }, []);

  // `attempt` re-runs the check on retry.
  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const session = await request<Session>("GET", "/auth/session", { anonymous: true });
        if (!cancelled) accept(session);
      } catch (error) {
        if (cancelled) return;
        if (error instanceof ApiError && error.status === 401) {
          setCsrfToken(undefined);
          setState({ status: "signed-out", setupNeeded: await setupNeeded() });
        } else {
          setState({
            status: "unreachable",
            message:
              error instanceof ApiError
                ? error.message
                : "The platform cannot be reached right now.",
          });
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [accept, attempt]);

  useEffect(
    () =>
      onSessionLost((error) => {
        setCsrfToken(undefined);
        setState({
          status: "signed-out",
          setupNeeded: false,
          notice:
            error.code === "unauthenticated"
              ? "Your session has ended. Sign in again."
              : error.message,
        });
      }),
    [],
  );

  const api = useMemo<SessionApi>(
    () => ({
      state,
      signIn: async (email, password) => {
        const session = await request<Session>("POST", "/auth/login", {
          body: { email, password },
          anonymous: true,
        });
        accept(session);
      },
      signOut: async () => {
        try {
          await request<void>("POST", "/auth/logout", { body: {}, anonymous: true });
        } finally {
          setCsrfToken(undefined);
          setState({ status: "signed-out", setupNeeded: false, notice: "You are signed out." });
        }
      },
      completeSetup: async (body) => {
        const session = await request<Session>("POST", "/setup", { body, anonymous: true });
        accept(session);
      },
      retry: () => {
        setState({ status: "loading" });
        setAttempt((a) => a + 1);
      },
    }),
    [state, accept],
  );

  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (value === null) throw new Error("useSession outside SessionProvider");
  return value;
}

/** The signed-in user; only for screens rendered behind the sign-in gate. */
export function useUser(): SessionUser {
  const { state } = useSession();
  if (state.status !== "signed-in") throw new Error("useUser without a session");
  return state.user;
}
