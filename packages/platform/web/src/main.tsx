import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.tsx";
import { takeResetToken } from "./pages/auth/reset-password.tsx";
import "@heptora/web-kit/styles.css";
import "./styles.css";

// Before anything renders: lift the reset token out of the address bar.
const resetToken = window.location.pathname === "/reset-password" ? takeResetToken() : null;

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App resetToken={resetToken} />
    </StrictMode>,
  );
}
