import { Anchor, Card, Code, Group, Modal, NumberInput, Stack, Stepper, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import {
  GatewayStatusChangedSubscription,
  MigrationUpdatedSubscription,
  MintTokenMutation,
  ProfileQuery,
  RollbackMigrationMutation,
  StartMigrationMutation,
} from '../api/documents';
import type { ResultOf } from '../api/graphql';
import { useMutation, useQuery, useSubscription } from '../api/hooks';
import { ConfirmButton, ErrorAlert, SecretOnce, StatusBadge, When } from '../components/common';
import { useConsole } from '../session';

type Migration = ResultOf<typeof ProfileQuery>['migrations']['nodes'][number];

const FORWARD_STEPS = ['PENDING', 'SOURCE_DEREGISTERED', 'AWAITING_TARGET', 'TARGET_REGISTERED', 'CONFIGURATION_APPLIED', 'COMPLETED'];

export function ProfilePage({ id }: { id: string }) {
  const c = useConsole();
  const query = useQuery(ProfileQuery, { profileId: id });
  // Kept here, not in StartMigration: that button goes away as soon as the migration runs.
  const [migrationToken, setMigrationToken] = useState<string | null>(null);
  useSubscription(MigrationUpdatedSubscription, { tenantId: c.tenantId }, ({ migrationUpdated }) => {
    if (migrationUpdated.profileId === id) void query.refetch();
  });
  useSubscription(GatewayStatusChangedSubscription, { tenantId: c.tenantId }, ({ gatewayStatusChanged }) => {
    if (gatewayStatusChanged.profileId === id) void query.refetch();
  });
  // A running migration is also looked at every 2 s: an event missed while the socket reconnects
  // would otherwise leave its steps behind.
  const migrating = (query.data?.migrations.nodes ?? []).some((m) => !['COMPLETED', 'FAILED', 'ROLLED_BACK'].includes(m.state));
  const { refetch } = query;
  useEffect(() => {
    if (!migrating) return;
    const timer = setInterval(() => void refetch(), 2000);
    return () => clearInterval(timer);
  }, [migrating, refetch]);
  const profile = query.data?.profile;
  if (!profile) return query.error ? <ErrorAlert error={query.error} /> : <Text>Loading…</Text>;
  const migrations = query.data?.migrations.nodes ?? [];
  const running = migrations.find((m) => !['COMPLETED', 'FAILED', 'ROLLED_BACK'].includes(m.state));
  return (
    <Stack>
      <Group justify="space-between">
        <div>
          <Title order={2}>Profile {profile.name}</Title>
          <Text size="sm" c="dimmed">
            {profile.description || 'No description.'}
          </Text>
        </div>
        <Group>
          {c.isAdmin && <MintToken profileId={profile.id} onMinted={() => void query.refetch()} />}
          {c.canOperate && profile.activeGateway && !running && (
            <StartMigration
              profileId={profile.id}
              from={profile.activeGateway.type}
              onStarted={(token) => {
                setMigrationToken(token);
                void query.refetch();
              }}
            />
          )}
        </Group>
      </Group>
      <Modal opened={migrationToken !== null} onClose={() => setMigrationToken(null)} title="Migration activation token" size="lg">
        {migrationToken && <SecretOnce label="Activation token for the target gateway" value={migrationToken} testId="migration-token" />}
      </Modal>
      <Card withBorder>
        <Group gap="xl">
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              Status
            </Text>
            <StatusBadge value={profile.status} testId="profile-status" />
          </div>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              Active gateway
            </Text>
            {profile.activeGateway ? (
              <Anchor component={Link} href={`/gateways/${profile.activeGateway.id}`} data-testid="active-gateway">
                {profile.activeGateway.name} ({profile.activeGateway.type})
              </Anchor>
            ) : (
              <Text>none</Text>
            )}
          </div>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              Configuration
            </Text>
            <Text>version {profile.configuration.version}</Text>
          </div>
        </Group>
      </Card>
      <section aria-labelledby="migrations-title">
        <Title order={3} id="migrations-title" mb="xs">
          Migrations
        </Title>
        {migrations.length === 0 && <Text c="dimmed">None.</Text>}
        <Stack>
          {migrations.map((m) => (
            <MigrationCard key={m.id} migration={m} onChanged={() => void query.refetch()} />
          ))}
        </Stack>
      </section>
      <section aria-labelledby="tokens-title">
        <Title order={3} id="tokens-title" mb="xs">
          Activation tokens
        </Title>
        <Table.ScrollContainer minWidth={600}>
          <Table aria-labelledby="tokens-title">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Prefix</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Purpose</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Expires</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {profile.activationTokens.nodes.map((t) => (
                <Table.Tr key={t.id}>
                  <Table.Td>
                    <Code>{t.prefix}…</Code>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge value={t.state} />
                  </Table.Td>
                  <Table.Td>{t.purpose}</Table.Td>
                  <Table.Td>
                    <When at={t.createdAt} />
                  </Table.Td>
                  <Table.Td>{new Date(t.expiresAt).toISOString()}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </section>
      <section aria-labelledby="gateways-title">
        <Title order={3} id="gateways-title" mb="xs">
          Gateways it has had
        </Title>
        <Table aria-labelledby="gateways-title">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Gateway</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Registered</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {profile.gateways.map((g) => (
              <Table.Tr key={g.id}>
                <Table.Td>
                  <Anchor component={Link} href={`/gateways/${g.id}`}>
                    {g.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{g.type}</Table.Td>
                <Table.Td>
                  <StatusBadge value={g.status} />
                </Table.Td>
                <Table.Td>
                  <When at={g.registeredAt} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </section>
    </Stack>
  );
}

function MigrationCard({ migration, onChanged }: { migration: Migration; onChanged: () => void }) {
  const c = useConsole();
  const rollback = useMutation(RollbackMigrationMutation);
  const [token, setToken] = useState<string | null>(null);
  const reached = new Set<string>(migration.steps.map((s) => s.step));
  const active = FORWARD_STEPS.reduce((last, step, i) => (reached.has(step) ? i + 1 : last), 0);
  return (
    <Card withBorder data-testid={`migration-${migration.id}`}>
      <Group justify="space-between" mb="sm">
        <Group>
          <Text fw={600}>
            {migration.direction === 'CLASSIC_TO_CLUSTER' ? 'Classic → cluster' : 'Cluster → classic'}
            {migration.rollbackOf ? ' (rollback)' : ''}
          </Text>
          <StatusBadge value={migration.state} testId="migration-state" />
          <Text size="sm" c="dimmed">
            started <When at={migration.createdAt} />
          </Text>
        </Group>
        {c.canOperate && ['COMPLETED', 'FAILED'].includes(migration.state) && !migration.rollbackOf && (
          <ConfirmButton
            label="Roll back"
            title="Roll this migration back?"
            error={rollback.error}
            running={rollback.running}
            onConfirm={async () => {
              const result = await rollback.run({ migrationId: migration.id });
              if (result) {
                setToken(result.rollbackMigration.migration.activationToken?.token ?? null);
                onChanged();
              }
              return Boolean(result);
            }}
          >
            <Text>
              The profile goes back to a {migration.direction === 'CLASSIC_TO_CLUSTER' ? 'classic' : 'cluster'} gateway, with a new
              activation token.
            </Text>
          </ConfirmButton>
        )}
      </Group>
      {migration.failureReason && (
        <Text c="red.9" mb="sm">
          Failed: {migration.failureReason}
        </Text>
      )}
      <Stepper active={active} size="xs" orientation="horizontal" allowNextStepsSelect={false} aria-label="Migration steps">
        {FORWARD_STEPS.map((step) => {
          const at = migration.steps.filter((s) => s.step === step).at(-1)?.at;
          return (
            <Stepper.Step
              key={step}
              label={step.replace(/_/g, ' ').toLowerCase()}
              description={at ? new Date(at).toLocaleTimeString() : undefined}
            />
          );
        })}
      </Stepper>
      <Modal opened={token !== null} onClose={() => setToken(null)} title="Rollback activation token" size="lg">
        {token && <SecretOnce label="Activation token for the gateway to come back" value={token} testId="rollback-token" />}
      </Modal>
    </Card>
  );
}

function MintToken({ profileId, onMinted }: { profileId: string; onMinted: () => void }) {
  const mint = useMutation(MintTokenMutation);
  const [hours, setHours] = useState<number>(24);
  const [token, setToken] = useState<string | null>(null);
  return (
    <>
      <ConfirmButton
        label="Mint activation token"
        title="Mint an activation token?"
        color="indigo"
        confirmLabel="Mint"
        error={mint.error}
        running={mint.running}
        onConfirm={async () => {
          const result = await mint.run({ input: { profileId, ttlSeconds: Math.round(hours * 3600) } });
          if (result) {
            setToken(result.mintActivationToken.token);
            onMinted();
          }
          return Boolean(result);
        }}
      >
        <NumberInput label="Valid for (hours)" min={1} max={720} value={hours} onChange={(v) => setHours(typeof v === 'number' ? v : 24)} />
      </ConfirmButton>
      <Modal opened={token !== null} onClose={() => setToken(null)} title="Activation token" size="lg">
        {token && <SecretOnce label="Activation token" value={token} testId="minted-token" />}
      </Modal>
    </>
  );
}

/**
 * The button and its confirmation. The new token is handed up (`onStarted`): once the migration
 * runs, the page stops rendering this button, and the token's dialog must outlive it.
 */
function StartMigration({
  profileId,
  from,
  onStarted,
}: {
  profileId: string;
  from: 'CLASSIC' | 'CLUSTER';
  onStarted: (token: string | null) => void;
}) {
  const start = useMutation(StartMigrationMutation);
  const target = from === 'CLASSIC' ? 'CLUSTER' : 'CLASSIC';
  return (
    <>
      <ConfirmButton
        label={`Migrate to ${target.toLowerCase()}`}
        title={`Migrate this profile to a ${target.toLowerCase()} gateway?`}
        color="indigo"
        confirmLabel="Start migration"
        error={start.error}
        running={start.running}
        onConfirm={async () => {
          const result = await start.run({ input: { profileId, targetGatewayType: target } });
          if (result) {
            onStarted(result.startMigration.migration.activationToken?.token ?? null);
          }
          return Boolean(result);
        }}
      >
        <Text>
          The current gateway is de-registered at once; the new {target.toLowerCase()} gateway registers with the token shown next.
        </Text>
      </ConfirmButton>
    </>
  );
}
