import { useEffect, useState } from 'preact/hooks';
import { forgetKey, storedKey, storeKey } from './api.js';
import { identify } from './identity.js';
import { useRoute, navigate } from './router.js';
import { ProblemView } from './components/common.jsx';
import { SignIn } from './pages/SignIn.jsx';
import { Layout } from './pages/Layout.jsx';
import { Page } from './pages/Page.jsx';

export function App() {
  const route = useRoute();
  const [who, setWho] = useState(null);
  const [error, setError] = useState(null);
  const [checking, setChecking] = useState(Boolean(storedKey()));

  // A reload keeps the key (session storage) but not who it is: ask again.
  useEffect(() => {
    const key = storedKey();
    if (!key) return;
    identify(key).then(setWho, (e) => {
      setError(e);
      if (e.status === 401) forgetKey();
    }).finally(() => setChecking(false));
  }, []);

  const signIn = async (key) => {
    setError(null);
    const identity = await identify(key);
    storeKey(key);
    setWho(identity);
    if (!location.hash || location.hash === '#/' || location.hash === '#/signin') {
      navigate(identity.role === 'platform-admin' ? '#/tenants' : '#/workflows');
    }
  };
  const signOut = () => {
    forgetKey();
    setWho(null);
    navigate('#/');
  };

  if (checking) return <p class="boot">Checking your key…</p>;
  if (!who) {
    return (
      <>
        {error && <ProblemView error={error} title="Signed out" />}
        <SignIn onSignIn={signIn} />
      </>
    );
  }
  return (
    <Layout who={who} route={route} onSignOut={signOut}>
      <Page who={who} route={route} />
    </Layout>
  );
}
