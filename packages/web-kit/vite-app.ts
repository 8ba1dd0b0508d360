/**
 * The Vite build both web apps share: React, a dist/ that the platform or the robot daemon serves,
 * and nothing their Content-Security-Policy refuses (no inline module-preload polyfill, no data:
 * URL assets). @heptora/protocol and zod are marked free of side effects, so that only what an app
 * really uses of them (types, the zod-free error-body reader) can reach its bundle.
 *
 * @example
 * // packages/robot/web/vite.config.ts
 * export default defineConfig(webAppConfig());
 */
import react from "@vitejs/plugin-react";
import { mergeConfig, type UserConfig } from "vite";

export function webAppConfig(own: UserConfig = {}): UserConfig {
  const shared: UserConfig = {
    base: "/",
    plugins: [react()],
    build: {
      outDir: "dist",
      emptyOutDir: true,
      // The polyfill would be injected as an inline script, which the CSP refuses.
      modulePreload: { polyfill: false },
      // No inline data: URLs for assets either: everything is a file from 'self'.
      assetsInlineLimit: 0,
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
  };
  return mergeConfig(shared, own);
}
