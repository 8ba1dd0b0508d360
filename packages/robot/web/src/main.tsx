import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.tsx";
import "@heptora/web-kit/styles.css";
import "./styles.css";

// Before anything renders: a one-time link's token leaves the address bar and the history.
const arrivedByLink = window.location.pathname === "/session/open";
if (arrivedByLink) window.history.replaceState(null, "", "/");

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App arrivedByLink={arrivedByLink} />
    </StrictMode>,
  );
}
