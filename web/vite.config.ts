import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

/**
 * The dashboard's build: `web/dist`, which the daemon serves. The dev server (`npx vite web`) proxies
 * the API and the push socket to a daemon on port 5000.
 */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact()],
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: false },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:5000",
      "/socket.io": { target: "ws://127.0.0.1:5000", ws: true },
    },
  },
});
