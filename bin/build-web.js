#!/usr/bin/env node
// Builds the dashboard (web/) into web/dist, which the daemon serves. `npm install` runs it (prepare);
// `npm start` runs it with --if-missing, so a fresh checkout needs no separate build step.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../web/", import.meta.url));
if (process.argv.includes("--if-missing") && existsSync(`${root}dist/index.html`)) process.exit(0);
const { build } = await import("vite");
await build({ root, configFile: `${root}vite.config.ts`, logLevel: "warn" });
