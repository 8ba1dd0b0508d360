/**
 * The frame of every signed-in screen of both apps: a skip link, a dark sidebar (a top bar on small
 * screens) that each app fills with its brand, sections and account, and the page in <main>.
 * `product` names the app in the document title that each page's header sets.
 */
import { createContext, type ReactNode, useContext } from "react";

const ProductContext = createContext<string | null>(null);

/** The app's name for document titles ("Processes · Heptora"), or null to leave the title alone. */
export function useProduct(): string | null {
  return useContext(ProductContext);
}

/**
 * @example
 * <AppShell sidebar={<><Logo /><SectionNav>…</SectionNav></>} product="Heptora">{page}</AppShell>
 */
export function AppShell({
  sidebar,
  landmark = "header",
  product = null,
  children,
}: {
  sidebar: ReactNode;
  /** The sidebar's element: a banner (`header`) or complementary content (`aside`). */
  landmark?: "header" | "aside";
  product?: string | null;
  children: ReactNode;
}) {
  const Sidebar = landmark;
  return (
    <ProductContext.Provider value={product}>
      <div className="shell">
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <Sidebar className="sidebar">{sidebar}</Sidebar>
        <main id="main" className="main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </ProductContext.Provider>
  );
}
