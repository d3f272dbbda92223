#!/usr/bin/env node
// Entry point for `layerwatch` (package.json "bin") and `npm start`: the server is TypeScript run
// through tsx's loader, so there is no build step between a clone and a running daemon.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../server/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
