import { defineConfig } from "vite";

// `vite build --mode test` builds the test bundle (with the read-only state hook) into dist-test.
export default defineConfig(({ mode }) => ({
  root: import.meta.dirname,
  build: {
    outDir: mode === "test" ? "dist-test" : "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 2_000,
  },
  server: {
    port: 5173,
    proxy: {
      "/api": "http://localhost:3000",
      "/admin": "http://localhost:3000",
      "/socket.io": { target: "ws://localhost:3000", ws: true },
    },
  },
}));
