import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// One renderer build serves the Electron window (file://) and `tce dashboard` (http): relative asset paths.
export default defineConfig({
  root: 'src/renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
});
