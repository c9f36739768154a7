import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  SimpleGrid,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { CreateProfileMutation, FleetQuery, GatewayStatusChangedSubscription } from '../api/documents';
import type { ResultOf } from '../api/graphql';
import { useMutation, useQuery, useSubscription } from '../api/hooks';
import { countOf, ErrorAlert, StatusBadge, useTicking, When } from '../components/common';
import { useConsole } from '../session';

type Fleet = ResultOf<typeof FleetQuery>;
type ProfileStatus = 'CONNECTED' | 'DISCONNECTED' | 'MIGRATING' | 'NOT_REGISTERED';
type GatewayType = 'CLASSIC' | 'CLUSTER';
const PAGE_SIZE = 25;

function Count({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
    </Card>
  );
}

export function FleetPage() {
  const c = useConsole();
  const [status, setStatus] = useState<ProfileStatus | null>(null);
  const [gatewayType, setGatewayType] = useState<GatewayType | null>(null);
  const [search, setSearch] = useState('');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  const fleet = useQuery(FleetQuery, {
    tenantId: c.tenantId,
    first: PAGE_SIZE,
    after,
    status,
    gatewayType,
    search: search.trim() || null,
  });
  const [rows, setRows] = useState<Fleet['profiles']['nodes']>([]);
  useEffect(() => setRows(fleet.data?.profiles.nodes ?? []), [fleet.data]);
  const refresh = useRef<ReturnType<typeof setTimeout>>(undefined);
  // Live: a status change is shown in its row at once; counts follow with one refetch a second later.
  useSubscription(GatewayStatusChangedSubscription, { tenantId: c.tenantId }, ({ gatewayStatusChanged: change }) => {
    setRows((current) =>
      current.map((row) =>
        row.id === change.profileId && row.activeGateway?.id === change.gatewayId
          ? {
              ...row,
              status: change.status === 'CONNECTED' || change.status === 'DISCONNECTED' ? change.status : row.status,
              activeGateway: {
                ...row.activeGateway,
                status: change.status,
                lastHeartbeatAt: change.lastHeartbeatAt ?? row.activeGateway.lastHeartbeatAt,
              },
            }
          : row,
      ),
    );
    clearTimeout(refresh.current);
    refresh.current = setTimeout(() => void fleet.refetch(), 1000);
  });
  useEffect(() => () => clearTimeout(refresh.current), []);
  useTicking();
  const counts = fleet.data?.fleetStatus;
  const resetPaging = () => setCursors([null]);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Fleet of {c.tenantName}</Title>
        {c.isAdmin && <CreateProfile onCreated={() => void fleet.refetch()} />}
      </Group>
      <ErrorAlert error={fleet.error} />
      <SimpleGrid cols={{ base: 2, sm: 4, xl: 8 }} aria-label="Counts">
        <Count label="Profiles" value={counts?.profiles ?? 0} testId="count-profiles" />
        <Count label="Not registered" value={counts?.profilesNotRegistered ?? 0} testId="count-not-registered" />
        <Count label="Gateways" value={counts?.gateways ?? 0} testId="count-gateways" />
        <Count label="Connected" value={countOf(counts?.gatewaysByStatus, 'CONNECTED')} testId="count-connected" />
        <Count label="Disconnected" value={countOf(counts?.gatewaysByStatus, 'DISCONNECTED')} testId="count-disconnected" />
        <Count label="Healthy" value={countOf(counts?.gatewaysByHealth, 'HEALTHY')} testId="count-healthy" />
        <Count label="Degraded" value={countOf(counts?.gatewaysByHealth, 'DEGRADED')} testId="count-degraded" />
        <Count label="Down" value={countOf(counts?.gatewaysByHealth, 'DOWN')} testId="count-down" />
      </SimpleGrid>
      <Group align="end">
        <TextInput
          label="Search by name"
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            resetPaging();
          }}
        />
        <Select
          label="Status"
          clearable
          data={['CONNECTED', 'DISCONNECTED', 'MIGRATING', 'NOT_REGISTERED']}
          value={status}
          onChange={(v) => {
            setStatus(v as ProfileStatus | null);
            resetPaging();
          }}
        />
        <Select
          label="Gateway type"
          clearable
          data={['CLASSIC', 'CLUSTER']}
          value={gatewayType}
          onChange={(v) => {
            setGatewayType(v as GatewayType | null);
            resetPaging();
          }}
        />
      </Group>
      <Table.ScrollContainer minWidth={900}>
        <Table striped highlightOnHover aria-label="Management profiles" data-testid="profiles-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Profile</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Active gateway</Table.Th>
              <Table.Th>Gateway status</Table.Th>
              <Table.Th>Health</Table.Th>
              <Table.Th>Last heartbeat</Table.Th>
              <Table.Th>Software</Table.Th>
              <Table.Th>Labels</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.id} data-testid={`profile-row-${row.name}`}>
                <Table.Td>
                  <Anchor component={Link} href={`/profiles/${row.id}`}>
                    {row.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <StatusBadge value={row.status} testId="profile-status" />
                </Table.Td>
                <Table.Td>{row.gatewayType ?? '—'}</Table.Td>
                <Table.Td>
                  {row.activeGateway ? (
                    <Anchor component={Link} href={`/gateways/${row.activeGateway.id}`}>
                      {row.activeGateway.name}
                    </Anchor>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>
                  <StatusBadge value={row.activeGateway?.status} testId="gateway-status" />
                </Table.Td>
                <Table.Td>
                  <StatusBadge value={row.activeGateway?.health} testId="gateway-health" />
                </Table.Td>
                <Table.Td>{row.activeGateway ? <When at={row.activeGateway.lastHeartbeatAt} /> : '—'}</Table.Td>
                <Table.Td>{row.activeGateway?.softwareVersion ?? '—'}</Table.Td>
                <Table.Td>
                  {Object.entries(row.labels).map(([key, value]) => (
                    <Badge key={key} variant="outline" color="gray" mr={4} tt="none">
                      {key}={String(value)}
                    </Badge>
                  ))}
                </Table.Td>
              </Table.Tr>
            ))}
            {rows.length === 0 && !fleet.loading && (
              <Table.Tr>
                <Table.Td colSpan={9}>
                  <Text c="dimmed">No profiles.</Text>
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group>
        <Button variant="default" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous page
        </Button>
        <Button
          variant="default"
          disabled={!fleet.data?.profiles.pageInfo.hasNextPage}
          onClick={() => setCursors([...cursors, fleet.data?.profiles.pageInfo.endCursor ?? null])}
        >
          Next page
        </Button>
        <Text size="sm" c="dimmed">
          Page {cursors.length}
        </Text>
      </Group>
    </Stack>
  );
}

function CreateProfile({ onCreated }: { onCreated: () => void }) {
  const c = useConsole();
  const [, navigate] = useLocation();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useMutation(CreateProfileMutation);
  return (
    <>
      <Button onClick={() => setOpen(true)}>Create profile</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Create a management profile">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void create.run({ input: { tenantId: c.tenantId, name, description: description || null } }).then((created) => {
              if (!created) return;
              setOpen(false);
              onCreated();
              navigate(`/profiles/${created.createProfile.profile.id}`);
            });
          }}
        >
          <Stack>
            <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <Textarea label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
            <ErrorAlert error={create.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={create.running}>
                Create
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
