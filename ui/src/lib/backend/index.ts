import type { Backend } from './backend';
import { tauriBackend } from './tauri';

/** Inside the app the Tauri IPC is present; in a plain browser (tests) the mock runs, loaded
 * on demand so that the app's bundle does not carry it. The mock starts empty (first run)
 * unless the page's URL asks for `?mock=seeded`. */
export async function chooseBackend(): Promise<Backend> {
  if ('__TAURI_INTERNALS__' in window) return tauriBackend();
  const { mockBackend } = await import('./mock');
  const seeded = new URLSearchParams(window.location.search).get('mock') === 'seeded';
  const mock = mockBackend({ seeded });
  (window as unknown as { __mock: unknown }).__mock = mock;
  return mock;
}

export type { Backend } from './backend';
