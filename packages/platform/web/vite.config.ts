/**
 * Builds the platform web app into dist/, which `heptora-platform serve` serves at `/`.
 * `npm run dev` style work: `vite` here proxies /api to a platform started on port 8080.
 */
import { webAppConfig } from "@heptora/web-kit/vite";
import { defineConfig } from "vite";

export default defineConfig(
  webAppConfig({ server: { proxy: { "/api": "http://127.0.0.1:8080" } } }),
);
