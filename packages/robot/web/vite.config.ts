/**
 * Builds the robot's Secrets window into dist/, which the robot daemon serves on 127.0.0.1
 * (packages/robot/src/window). scripts/web-build.ts runs this when the sources are newer than dist.
 */
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The polyfill would be injected as an inline script, which the window's CSP refuses.
    modulePreload: { polyfill: false },
    // No inline data: URLs for assets either: everything is a file from 'self'.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
