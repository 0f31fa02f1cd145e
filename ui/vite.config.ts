import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The mock backend is chosen at run time (no Tauri IPC present), so one build serves the app
// and the browser tests.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  build: { target: 'es2021', outDir: 'dist', emptyOutDir: true },
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  test: {
    environment: 'jsdom',
    include: ['tests/unit/**/*.test.ts'],
  },
});
