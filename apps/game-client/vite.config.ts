import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { defineConfig, type Plugin } from "vite";

/**
 * Writes `.br` and `.gz` beside every built file over 1 KB, once at build time, so the server
 * sends them as they are (`@fastify/static` `preCompressed`) instead of compressing per request.
 */
function precompress(): Plugin {
  let outDir = "";
  return {
    name: "rally-precompress",
    apply: "build",
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
          const full = path.join(dir, entry.name);
          return entry.isDirectory() ? walk(full) : [full];
        });
      for (const file of walk(outDir)) {
        if (!/\.(js|css|html|svg|json)$/.test(file)) continue;
        const data = fs.readFileSync(file);
        if (data.length < 1024) continue;
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
        fs.writeFileSync(
          `${file}.br`,
          zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
      }
    },
  };
}

// `vite build --mode test` builds the test bundle (with the read-only state hook) into dist-test.
export default defineConfig(({ mode }) => ({
  root: import.meta.dirname,
  plugins: [precompress()],
  build: {
    outDir: mode === "test" ? "dist-test" : "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1_500,
    rollupOptions: {
      output: {
        // Phaser is most of the bytes and changes only with an upgrade: its own long-cached chunk.
        manualChunks: (id) => (id.includes("node_modules/phaser/") ? "phaser" : undefined),
      },
    },
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
