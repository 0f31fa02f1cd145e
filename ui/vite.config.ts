import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The mock backend is chosen at run time (no Tauri IPC present), so one build serves the app
// and the browser tests. The manifest (dist/.vite/manifest.json) tells which chunks load at
// start and which on demand (scripts/bench-app.sh reads it). ES2022: the app's webview
// (WebKitGTK 2.40 and later; Debian 12 has 2.50) and the tests' Chromium run it as it is, so the
// bundle need not carry helpers for private class fields, which Svelte's runtime and every
// `$state` field of a class use.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, manifest: true },
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  test: {
    environment: 'jsdom',
    include: ['tests/unit/**/*.test.ts'],
    // The app fetches the case texts with the case workspace, and English when it is chosen; the
    // unit tests use them directly.
    setupFiles: ['src/lib/i18n/case-texts.ts', 'src/lib/i18n/en-texts.ts'],
  },
});
