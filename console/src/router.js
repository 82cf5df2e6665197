import { useEffect, useState } from 'preact/hooks';

// Hash routes (#/workflows/price?version=2): the gateway serves one index.html and needs no fallback for deep links.
export function parseHash(hash) {
  const raw = hash.replace(/^#/, '') || '/';
  const [path, search = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, params: new URLSearchParams(search) };
}

export function useRoute() {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseHash(location.hash));
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

export const href = (...parts) => `#/${parts.map((p) => encodeURIComponent(p)).join('/')}`;
export const navigate = (target) => {
  location.hash = target;
};
