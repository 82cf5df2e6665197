import { NotFound } from '../components/common.jsx';
import { WorkflowList } from './workflows/WorkflowList.jsx';
import { WorkflowView } from './workflows/WorkflowView.jsx';
import { WorkflowEditor } from './workflows/WorkflowEditor.jsx';
import { StartExecution } from './workflows/StartExecution.jsx';
import { ExecutionList } from './executions/ExecutionList.jsx';
import { ExecutionView } from './executions/ExecutionView.jsx';
import { SessionList, SessionView } from './Sessions.jsx';
import { MarketplaceSearch } from './marketplace/MarketplaceSearch.jsx';
import { MarketplaceItem } from './marketplace/MarketplaceItem.jsx';
import { OwnTenant, TenantList, TenantDetail } from './tenants/Tenants.jsx';

/** Picks the page for the hash route; a key sees only the pages its role can use. */
export function Page({ who, route }) {
  const [section, id, action] = route.parts;
  if (who.role === 'platform-admin') {
    if (section === 'tenants' && id) return <TenantDetail key={id} id={id} who={who} />;
    return <TenantList who={who} />;
  }
  switch (section) {
    case undefined:
    case 'workflows':
      if (id === 'new') return <WorkflowEditor who={who} />;
      if (id && action === 'edit') return <WorkflowEditor key={id} name={id} who={who} />;
      if (id && action === 'run') return <StartExecution key={id} name={id} who={who} />;
      if (id) return <WorkflowView key={id} name={id} who={who} params={route.params} />;
      return <WorkflowList who={who} params={route.params} />;
    case 'executions':
      if (id) return <ExecutionView key={id} id={id} who={who} />;
      return <ExecutionList who={who} params={route.params} />;
    case 'sessions':
      if (id) return <SessionView key={id} id={id} />;
      return <SessionList params={route.params} />;
    case 'marketplace':
      if (id) return <MarketplaceItem key={id} id={id} who={who} />;
      return <MarketplaceSearch params={route.params} />;
    case 'tenant':
      return <OwnTenant who={who} />;
    default:
      return <NotFound what="page" />;
  }
}
