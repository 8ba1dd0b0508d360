import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { takeKeyFromLink } from "./api/window-key.ts";
import { App } from "./app.tsx";
import "@heptora/web-kit/styles.css";
import "./styles.css";

// Before anything renders: a one-time link's token leaves the address bar and the history, and
// the request key it brought is kept for this tab. A link that did not sign in says so.
const arrivedByLink = window.location.pathname === "/session/open" && !takeKeyFromLink();

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App arrivedByLink={arrivedByLink} />
    </StrictMode>,
  );
}
