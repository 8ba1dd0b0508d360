/** Short confirmations ("Process created") announced to screen readers and shown for a moment. */
import { createContext, type ReactNode, useCallback, useContext, useRef, useState } from "react";

interface Notice {
  id: number;
  text: string;
}

const NoticeContext = createContext<(text: string) => void>(() => {});

export function NoticeProvider({ children }: { children: ReactNode }) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const next = useRef(1);
  const notify = useCallback((text: string) => {
    const id = next.current++;
    setNotices((all) => [...all.slice(-1), { id, text }]);
    window.setTimeout(() => setNotices((all) => all.filter((n) => n.id !== id)), 4000);
  }, []);
  return (
    <NoticeContext.Provider value={notify}>
      {children}
      <div className="notices" aria-live="polite">
        {notices.map((n) => (
          <p key={n.id} className="notice">
            {n.text}
          </p>
        ))}
      </div>
    </NoticeContext.Provider>
  );
}

export function useNotify(): (text: string) => void {
  return useContext(NoticeContext);
}
