// Built by the root `npm run build` (vite build --config console/vite.config.ts); see README.md.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  // The node serves the build under /ui/ (src/api/rest/console.ts).
  base: '/ui/',
  // JSX through the transformer's automatic runtime: no framework plugin needed.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The diagram toolkits are big by nature; they load only on the pages that draw.
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
  },
  server: {
    // `npm run console:dev`: the API of a node on 8080 behind Vite's dev server.
    proxy: { '/v2': process.env.ZEN_URL ?? 'http://localhost:8080', '/ui/config.json': process.env.ZEN_URL ?? 'http://localhost:8080' },
  },
});
