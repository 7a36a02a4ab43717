/**
 * Vite builds the console: Preact through the automatic JSX runtime (Vite 8 transforms with Oxc), one entry
 * chunk, and the .xlsx writer split off into a chunk loaded only when someone downloads a spreadsheet.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    // The plugin-timing notice is about Vite's own HTML plugin on a busy machine: nothing to act on here.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
});
