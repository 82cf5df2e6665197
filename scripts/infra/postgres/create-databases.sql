-- One database per service, owned by the nexus role (docker-compose runs this once, on an empty volume).
-- scripts/nexus-local creates the same databases, plus the <service>_test ones, on a local server.
CREATE DATABASE tenant_service OWNER nexus;
CREATE DATABASE workflow_service OWNER nexus;
CREATE DATABASE session_service OWNER nexus;
CREATE DATABASE marketplace_service OWNER nexus;
