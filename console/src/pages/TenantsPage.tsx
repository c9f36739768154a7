import { Stack, Switch, Table, Text, Title } from '@mantine/core';
import { UpdateTenantMutation } from '../api/documents';
import { useMutation } from '../api/hooks';
import { ErrorAlert, StatusBadge } from '../components/common';
import { useConsole } from '../session';

/** A partner's settings of its clients: active or suspended, and the gateway clustering flag. */
export function TenantsPage() {
  const c = useConsole();
  const update = useMutation(UpdateTenantMutation);
  if (!c.isPartner) return <Text>Only partners manage tenants.</Text>;
  const tenants = c.viewer?.tenants.nodes ?? [];
  const change = async (id: string, input: { status?: 'ACTIVE' | 'SUSPENDED'; features?: { gatewayClustering: boolean } }) => {
    if (await update.run({ input: { id, ...input } })) await c.reloadViewer();
  };
  return (
    <Stack>
      <Title order={2}>Tenants</Title>
      <ErrorAlert error={update.error} />
      <Table.ScrollContainer minWidth={640}>
        <Table aria-label="Tenants">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Tenant</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Active</Table.Th>
              <Table.Th>Gateway clustering</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tenants.map((t) => {
              const client = t.kind === 'CLIENT';
              return (
                <Table.Tr key={t.id}>
                  <Table.Td>{t.name}</Table.Td>
                  <Table.Td>{t.kind}</Table.Td>
                  <Table.Td>
                    <StatusBadge value={t.status} />
                  </Table.Td>
                  <Table.Td>
                    <Switch
                      aria-label={`${t.name} active`}
                      checked={t.status === 'ACTIVE'}
                      disabled={!client || !c.isAdmin || update.running}
                      onChange={(e) => void change(t.id, { status: e.currentTarget.checked ? 'ACTIVE' : 'SUSPENDED' })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Switch
                      aria-label={`${t.name} gateway clustering`}
                      checked={t.features.gatewayClustering}
                      disabled={!client || !c.isAdmin || update.running}
                      onChange={(e) => void change(t.id, { features: { gatewayClustering: e.currentTarget.checked } })}
                    />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
