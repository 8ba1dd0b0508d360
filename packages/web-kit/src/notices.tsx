/**
 * Short confirmations ("Process created", "SAP_USER saved") announced to screen readers and shown
 * for a moment. Each app chooses how many stay on screen and for how long.
 */
import { createContext, type ReactNode, useCallback, useContext, useRef, useState } from "react";

export type NoticeTone = "ok" | "info";

interface Notice {
  id: number;
  text: string;
  tone: NoticeTone;
}

export type Notify = (text: string, tone?: NoticeTone) => void;

const NoticeContext = createContext<Notify>(() => {});

export function NoticeProvider({
  children,
  max = 1,
  durationMs = 5000,
}: {
  children: ReactNode;
  /** How many notices stay on screen; a new one pushes out the oldest. */
  max?: number;
  durationMs?: number;
}) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const next = useRef(1);
  const notify = useCallback<Notify>(
    (text, tone = "ok") => {
      const id = next.current++;
      const kept = (all: Notice[]) => (max > 1 ? all.slice(-(max - 1)) : []);
      setNotices((all) => [...kept(all), { id, text, tone }]);
      window.setTimeout(() => setNotices((all) => all.filter((n) => n.id !== id)), durationMs);
    },
    [max, durationMs],
  );
  return (
    <NoticeContext.Provider value={notify}>
      {children}
      <div className="notices" aria-live="polite">
        {notices.map((n) => (
          <p key={n.id} className={`notice notice-${n.tone}`}>
            {n.text}
          </p>
        ))}
      </div>
    </NoticeContext.Provider>
  );
}

export function useNotify(): Notify {
  return useContext(NoticeContext);
}
