import { AppShell, Burger, Button, Group, NavLink, Select, Text, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Route, Switch, useLocation } from 'wouter';
import { AuditPage } from './pages/AuditPage';
import { BulkPage } from './pages/BulkPage';
import { FleetPage } from './pages/FleetPage';
import { GatewayPage } from './pages/GatewayPage';
import { ProfilePage } from './pages/ProfilePage';
import { SignInPage } from './pages/SignInPage';
import { TenantsPage } from './pages/TenantsPage';
import { useConsole } from './session';

const NAV = [
  { href: '/', label: 'Fleet' },
  { href: '/bulk', label: 'Bulk commands' },
  { href: '/audit', label: 'Audit log' },
];

export function App() {
  const c = useConsole();
  const [opened, { toggle, close }] = useDisclosure();
  const [location] = useLocation();
  if (!c.session) return <SignInPage />;
  const tenants = c.viewer?.tenants.nodes ?? [];
  const nav = c.isPartner ? [...NAV, { href: '/tenants', label: 'Tenants' }] : NAV;
  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Title order={1} size="h4">
              Fleet console
            </Title>
          </Group>
          <Group wrap="nowrap" gap="sm">
            {tenants.length > 1 ? (
              <Select
                aria-label="Tenant"
                data-testid="tenant-switcher"
                w={{ base: 150, sm: 240 }}
                data={tenants.map((t) => ({ value: t.id, label: `${t.name}${t.kind === 'PARTNER' ? ' (partner)' : ''}` }))}
                value={c.tenantId}
                onChange={(value) => value && c.setTenantId(value)}
                allowDeselect={false}
              />
            ) : (
              <Text size="sm" visibleFrom="sm">
                {c.tenantName}
              </Text>
            )}
            <Button variant="default" size="xs" onClick={c.signOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Pages">
        {nav.map((item) => (
          <NavLink
            key={item.href}
            component={Link}
            href={item.href}
            label={item.label}
            active={item.href === '/' ? location === '/' : location.startsWith(item.href)}
            onClick={close}
          />
        ))}
        <Text size="xs" c="dimmed" mt="auto" p="xs">
          Signed in as {c.session.clientId}
          <br />
          roles: {c.viewer?.viewer.roles.join(', ')}
        </Text>
      </AppShell.Navbar>
      <AppShell.Main>
        <VisuallyHidden aria-live="polite">{c.tenantName}</VisuallyHidden>
        {c.tenantId ? (
          <Switch key={c.tenantId}>
            <Route path="/" component={FleetPage} />
            <Route path="/gateways/:id">{(params) => <GatewayPage id={params.id} />}</Route>
            <Route path="/profiles/:id">{(params) => <ProfilePage id={params.id} />}</Route>
            <Route path="/bulk" component={BulkPage} />
            <Route path="/audit" component={AuditPage} />
            <Route path="/tenants" component={TenantsPage} />
            <Route>
              <Text>Nothing here.</Text>
            </Route>
          </Switch>
        ) : (
          <Text>Loading…</Text>
        )}
      </AppShell.Main>
    </AppShell>
  );
}
