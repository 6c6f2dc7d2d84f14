import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { preloadApi } from './api/dashboard-api.js';
import { HttpApi } from './api/http-api.js';
import { App } from './components/App.js';
import { StoreContext } from './state/context.js';
import { connectStore, createDashboardStore } from './state/store.js';
import './styles.css';

// In the Electron window the preload exposes window.tce; served by `tce dashboard`, the page talks HTTP + SSE.
const api = preloadApi() ?? new HttpApi();
const store = createDashboardStore(api);
connectStore(store, api);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <StoreContext.Provider value={store}>
        <App api={api} />
      </StoreContext.Provider>
    </StrictMode>,
  );
}
