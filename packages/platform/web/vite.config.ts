/**
 * Builds the platform web app into dist/, which `heptora-platform serve` serves at `/`.
 * `npm run dev` style work: `vite` here proxies /api to a platform started on port 8080.
 */
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The polyfill would be injected as an inline script, which the platform's CSP refuses.
    modulePreload: { polyfill: false },
    sourcemap: false,
    rollupOptions: {
      treeshake: {
        moduleSideEffects: [
          { test: /packages\/protocol\/src|node_modules\/zod\//, sideEffects: false },
        ],
        manualPureFunctions: ["z"],
      },
    },
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:8080" },
  },
});
