/** Short confirmations ("SAP_USER saved") announced to screen readers and shown for a moment. */
import { createContext, type ReactNode, useCallback, useContext, useRef, useState } from "react";

interface Notice {
  id: number;
  text: string;
  tone: "ok" | "info";
}

type Notify = (text: string, tone?: Notice["tone"]) => void;

const NoticeContext = createContext<Notify>(() => {});

export function NoticeProvider({ children }: { children: ReactNode }) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const next = useRef(1);
  const notify = useCallback<Notify>((text, tone = "ok") => {
    const id = next.current++;
    // One at a time: the newest replaces the previous one.
    setNotices([{ id, text, tone }]);
    window.setTimeout(() => setNotices((all) => all.filter((n) => n.id !== id)), 5000);
  }, []);
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
