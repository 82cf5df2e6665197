const TENANT_NAV = [
  ['workflows', 'Workflows'],
  ['executions', 'Executions'],
  ['sessions', 'Sessions'],
  ['marketplace', 'Marketplace'],
  ['tenant', 'Tenant'],
];

export function Layout({ who, route, onSignOut, children }) {
  const nav = who.role === 'platform-admin' ? [['tenants', 'Tenants']] : TENANT_NAV;
  const section = route.parts[0];
  return (
    <div class="layout">
      <a class="skip" href="#main" onClick={(e) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}>
        Skip to content
      </a>
      <header class="topbar">
        <span class="brand">Nexus</span>
        <nav aria-label="Main">
          <ul>
            {nav.map(([path, label]) => (
              <li key={path}>
                <a href={`#/${path}`} aria-current={section === path ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="who" data-role={who.role}>
          {who.role === 'platform-admin' ? 'platform admin' : `${who.tenant.name} · ${who.role}`}
        </span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
