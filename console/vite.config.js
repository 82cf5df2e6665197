import { defineConfig } from 'vite';

// The gateway serves the build at /console/; `npm run dev` does the same and forwards the API to a running stack.
const gateway = process.env.NEXUS_GATEWAY_URL || 'http://127.0.0.1:8000';

export default defineConfig({
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed names under assets/ are what the gateway caches as immutable.
    assetsDir: 'assets',
    // No inline data: URLs for scripts (the CSP allows script-src 'self' only).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: gateway, changeOrigin: true } },
  },
});
