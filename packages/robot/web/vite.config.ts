/**
 * Builds the robot's Secrets window into dist/, which the robot daemon serves on 127.0.0.1
 * (packages/robot/src/window). scripts/web-build.ts runs this when the sources are newer than dist.
 */
import { webAppConfig } from "@heptora/web-kit/vite";
import { defineConfig } from "vite";

export default defineConfig(webAppConfig());
