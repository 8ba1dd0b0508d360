/** The route table and the gates in front of it: loading, first-run setup, sign-in. */
import {
  Empty,
  Link,
  Loading,
  Logo,
  matchPath,
  NoticeProvider,
  navigate,
  PageHeader,
  usePathname,
} from "@heptora/web-kit";
import { type ReactNode, useEffect } from "react";
import { Layout } from "./components/layout.tsx";
import { SessionProvider, useSession } from "./lib/session.tsx";
import { AuditPage } from "./pages/audit/audit-page.tsx";
import { ForgotPasswordPage } from "./pages/auth/forgot-password.tsx";
import { ResetPasswordPage } from "./pages/auth/reset-password.tsx";
import { SetupPage } from "./pages/auth/setup.tsx";
import { SignInPage } from "./pages/auth/sign-in.tsx";
import { PeoplePage } from "./pages/people/people-page.tsx";
import { ProcessListPage } from "./pages/processes/process-list.tsx";
import { ProcessPage } from "./pages/processes/process-page.tsx";
import { RobotListPage } from "./pages/robots/robot-list.tsx";
import { RobotPage } from "./pages/robots/robot-page.tsx";
import { TokensPage } from "./pages/tokens/tokens-page.tsx";

const SIGNED_OUT_ONLY = new Set(["/", "/sign-in", "/setup", "/forgot-password"]);

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

const ROUTES: { pattern: string; render: (params: Record<string, string>) => ReactNode }[] = [
  { pattern: "/processes", render: () => <ProcessListPage /> },
  { pattern: "/processes/:id", render: (p) => <ProcessPage id={p.id ?? ""} /> },
  { pattern: "/robots", render: () => <RobotListPage /> },
  { pattern: "/robots/:id", render: (p) => <RobotPage id={p.id ?? ""} /> },
  { pattern: "/people", render: () => <PeoplePage /> },
  { pattern: "/audit", render: () => <AuditPage /> },
  { pattern: "/tokens", render: () => <TokensPage /> },
];

function NotFound() {
  return (
    <>
      <PageHeader title="Page not found" />
      <Empty title="There is nothing at this address">
        <p>
          <Link to="/processes">Go to your processes</Link>
        </p>
      </Empty>
    </>
  );
}

function SignedInRoutes({ path }: { path: string }) {
  if (SIGNED_OUT_ONLY.has(path)) return <Redirect to="/processes" />;
  let page: ReactNode = <NotFound />;
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, path);
    if (params) {
      page = route.render(params);
      break;
    }
  }
  // The key remounts a page when its address changes, so no state leaks between two items.
  return (
    <Layout>
      <div key={path}>{page}</div>
    </Layout>
  );
}

function Gate({ resetToken }: { resetToken: string | null }) {
  const { state, retry } = useSession();
  const path = usePathname();

  if (path === "/reset-password") return <ResetPasswordPage token={resetToken} />;
  if (state.status === "loading") {
    return (
      <main className="splash">
        <Logo />
        <Loading label="Opening Heptora…" />
      </main>
    );
  }
  if (state.status === "unreachable") {
    return (
      <main className="splash">
        <Logo />
        <div className="state state-error" role="alert">
          <p className="state-title">The platform is not answering</p>
          <p className="state-body">{state.message}</p>
          <button type="button" className="button button-primary" onClick={retry}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  if (state.status === "signed-out") {
    if (state.setupNeeded) return <SetupPage />;
    if (path === "/forgot-password") return <ForgotPasswordPage />;
    return <SignInPage notice={state.notice} />;
  }
  return <SignedInRoutes path={path} />;
}

export function App({ resetToken }: { resetToken: string | null }) {
  return (
    <SessionProvider>
      <NoticeProvider max={2} durationMs={4000}>
        <Gate resetToken={resetToken} />
      </NoticeProvider>
    </SessionProvider>
  );
}
