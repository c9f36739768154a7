import { Anchor, Badge, Button, Card, Checkbox, Group, Modal, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { Fragment, useState } from 'react';
import { Link } from 'wouter';
import {
  CancelCommandMutation,
  CommandQuery,
  CommandUpdatedSubscription,
  DeregisterGatewayMutation,
  GatewayQuery,
  GatewayStatusChangedSubscription,
  QueueCommandMutation,
  RemoveMissingNodeMutation,
  ReplaceGatewayMutation,
} from '../api/documents';
import type { ResultOf } from '../api/graphql';
import { useMutation, useQuery, useSubscription } from '../api/hooks';
import { CommandFields, parametersOf, useCommandDraft } from '../components/CommandForm';
import { ConfirmButton, ErrorAlert, SecretOnce, StatusBadge, useTicking, When } from '../components/common';
import { useConsole } from '../session';

type Gateway = ResultOf<typeof GatewayQuery>['gateway'];
type Command = Gateway['commands']['nodes'][number];

function Fact({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text component="div" data-testid={testId}>
        {children}
      </Text>
    </div>
  );
}

export function GatewayPage({ id }: { id: string }) {
  const c = useConsole();
  const query = useQuery(GatewayQuery, { gatewayId: id });
  useSubscription(CommandUpdatedSubscription, { tenantId: c.tenantId, gatewayId: id }, () => void query.refetch());
  useSubscription(GatewayStatusChangedSubscription, { tenantId: c.tenantId }, ({ gatewayStatusChanged }) => {
    if (gatewayStatusChanged.gatewayId === id) void query.refetch();
  });
  useTicking();
  const gateway = query.data?.gateway;
  if (!gateway) return query.error ? <ErrorAlert error={query.error} /> : <Text>Loading…</Text>;
  const live = gateway.status !== 'DEREGISTERED';
  return (
    <Stack>
      <Group justify="space-between">
        <div>
          <Title order={2}>Gateway {gateway.name}</Title>
          <Text size="sm" c="dimmed">
            {gateway.type} gateway of profile{' '}
            {gateway.profile ? (
              <Anchor component={Link} href={`/profiles/${gateway.profile.id}`}>
                {gateway.profile.name}
              </Anchor>
            ) : (
              '(deleted)'
            )}
          </Text>
        </div>
        {live && c.canOperate && <GatewayActions gateway={gateway} onDone={() => void query.refetch()} />}
      </Group>
      <Card withBorder>
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
          <Fact label="Status">
            <StatusBadge value={gateway.status} testId="gateway-status" />
          </Fact>
          <Fact label="Health">
            <StatusBadge value={gateway.assessment.health} testId="gateway-health" />
          </Fact>
          <Fact label="Last heartbeat" testId="heartbeat">
            <When at={gateway.lastHeartbeatAt} />
          </Fact>
          <Fact label="Clock skew" testId="clock-skew">
            {gateway.clockSkewSeconds === null || gateway.clockSkewSeconds === undefined ? '—' : `${gateway.clockSkewSeconds.toFixed(1)} s`}
            {gateway.clockSkewWarning && (
              <Badge color="orange" ml="xs">
                too far off
              </Badge>
            )}
          </Fact>
          <Fact label="Configuration version" testId="configuration-version">
            {gateway.configurationVersion ?? '—'}
          </Fact>
          <Fact label="Software">{gateway.softwareVersion}</Fact>
        </SimpleGrid>
        {gateway.deregisteredAt && (
          <Text mt="sm" c="dimmed">
            De-registered <When at={gateway.deregisteredAt} />: {gateway.deregistrationReason}
          </Text>
        )}
      </Card>
      <Nodes gateway={gateway} onDone={() => void query.refetch()} />
      <Assessment gateway={gateway} />
      {live && c.canOperate && <QueueCommand gateway={gateway} onQueued={() => void query.refetch()} />}
      <Commands commands={gateway.commands.nodes} onChanged={() => void query.refetch()} />
    </Stack>
  );
}

function Nodes({ gateway, onDone }: { gateway: Gateway; onDone: () => void }) {
  const c = useConsole();
  const remove = useMutation(RemoveMissingNodeMutation);
  return (
    <section aria-labelledby="nodes-title">
      <Title order={3} id="nodes-title" mb="xs">
        Nodes
      </Title>
      <Table.ScrollContainer minWidth={760}>
        <Table aria-labelledby="nodes-title" data-testid="nodes-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Host</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Ready</Table.Th>
              <Table.Th>Apps</Table.Th>
              <Table.Th>Resources</Table.Th>
              <Table.Th>Last report</Table.Th>
              <Table.Th>Action</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {gateway.nodes.map((node) => (
              <Table.Tr key={node.id} data-testid={`node-${node.hostname}`}>
                <Table.Td>
                  {node.hostname}
                  <Text size="xs" c="dimmed">
                    {node.ipAddress}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <StatusBadge value={node.state} />
                </Table.Td>
                <Table.Td>{node.ready ? 'ready' : <Text c="red.9">not ready</Text>}</Table.Td>
                <Table.Td>
                  {node.apps.map((app) => (
                    <Badge key={app.name} variant="outline" color={app.status === 'RUNNING' ? 'green' : 'red'} mr={4}>
                      {app.name}: {app.status}
                      {app.restarts > 0 ? ` (${app.restarts} restarts)` : ''}
                    </Badge>
                  ))}
                </Table.Td>
                <Table.Td>
                  {node.cpuCores} CPU, {Math.round(node.memoryMb / 1024)} GiB, {node.diskGb} GB
                </Table.Td>
                <Table.Td>
                  <When at={node.lastReportedAt} />
                </Table.Td>
                <Table.Td>
                  {node.state === 'MISSING' && c.isAdmin && (
                    <ConfirmButton
                      label="Remove node"
                      title={`Remove ${node.hostname}?`}
                      error={remove.error}
                      running={remove.running}
                      onConfirm={async () => {
                        const ok = await remove.run({ gatewayId: gateway.id, nodeId: node.id });
                        if (ok) onDone();
                        return Boolean(ok);
                      }}
                    >
                      <Text>The node no longer reports. Removing it drops it from the cluster&apos;s assessment.</Text>
                    </ConfirmButton>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </section>
  );
}

function Assessment({ gateway }: { gateway: Gateway }) {
  return (
    <section aria-labelledby="assessment-title">
      <Title order={3} id="assessment-title" mb="xs">
        Assessment
      </Title>
      <Table.ScrollContainer minWidth={760}>
        <Table aria-labelledby="assessment-title" data-testid="assessment-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Check</Table.Th>
              <Table.Th>Node</Table.Th>
              <Table.Th>Outcome</Table.Th>
              <Table.Th>Expected</Table.Th>
              <Table.Th>Actual</Table.Th>
              <Table.Th>Reason</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {gateway.assessment.checks.map((check, i) => (
              <Table.Tr key={`${check.check}-${check.node ?? ''}-${i}`}>
                <Table.Td>{check.check}</Table.Td>
                <Table.Td>{check.node ?? 'all'}</Table.Td>
                <Table.Td>
                  <StatusBadge value={check.outcome} />
                </Table.Td>
                <Table.Td>{check.expected}</Table.Td>
                <Table.Td>{check.actual}</Table.Td>
                <Table.Td>{check.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </section>
  );
}

const ENDED = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'EXPIRED', 'CANCELLED', 'ABORTED'];

function Commands({ commands, onChanged }: { commands: Command[]; onChanged: () => void }) {
  const c = useConsole();
  const [open, setOpen] = useState<string | null>(null);
  const cancel = useMutation(CancelCommandMutation);
  return (
    <section aria-labelledby="commands-title">
      <Title order={3} id="commands-title" mb="xs">
        Commands
      </Title>
      <ErrorAlert error={cancel.error} />
      <Table.ScrollContainer minWidth={760}>
        <Table aria-labelledby="commands-title" data-testid="commands-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Command</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Progress</Table.Th>
              <Table.Th>Queued</Table.Th>
              <Table.Th>Result</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {commands.map((command) => (
              <Fragment key={command.id}>
                <Table.Tr data-testid={`command-${command.id}`}>
                  <Table.Td>
                    {command.type}
                    <Text size="xs" c="dimmed">
                      {JSON.stringify(command.parameters)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge value={command.state} testId="command-state" />
                  </Table.Td>
                  <Table.Td>
                    {command.progressPercent !== null && command.progressPercent !== undefined ? `${command.progressPercent} %` : '—'}
                  </Table.Td>
                  <Table.Td>
                    <When at={command.createdAt} />
                  </Table.Td>
                  <Table.Td>{command.errorCode ? `${command.errorCode}: ${command.message ?? ''}` : (command.message ?? '')}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button
                        size="xs"
                        variant="subtle"
                        aria-expanded={open === command.id}
                        onClick={() => setOpen(open === command.id ? null : command.id)}
                      >
                        History
                      </Button>
                      {c.canOperate && !ENDED.includes(command.state) && (
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          onClick={() => void cancel.run({ commandId: command.id }).then((ok) => ok && onChanged())}
                        >
                          Cancel
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
                {open === command.id && (
                  <Table.Tr>
                    <Table.Td colSpan={6}>
                      <CommandHistory commandId={command.id} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </section>
  );
}

function QueueCommand({ gateway, onQueued }: { gateway: Gateway; onQueued: () => void }) {
  const [draft, setDraft] = useCommandDraft();
  const [confirming, setConfirming] = useState(false);
  const [followed, setFollowed] = useState<Command | null>(null);
  const queue = useMutation(QueueCommandMutation);
  // Follow the queued command live: its updates arrive through commandUpdated (the page refetches),
  // and this panel shows the newest state of the one just queued.
  const current = followed ? (gateway.commands.nodes.find((cmd) => cmd.id === followed.id) ?? followed) : null;
  const apps = [...new Set(gateway.nodes.flatMap((n) => n.apps.map((a) => a.name)))];
  return (
    <Card withBorder component="section" aria-labelledby="queue-title">
      <Title order={3} id="queue-title" mb="xs">
        Queue a command
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setConfirming(true);
        }}
      >
        <Stack>
          <CommandFields draft={draft} onChange={setDraft} apps={apps} nodes={gateway.nodes.map((n) => n.hostname)} />
          <Group>
            <Button type="submit">Queue command</Button>
          </Group>
        </Stack>
      </form>
      {current && (
        <Group mt="sm" data-testid="followed-command">
          <Text>
            {current.type} {current.id.slice(0, 8)}:
          </Text>
          <StatusBadge value={current.state} testId="followed-state" />
          {current.progressPercent !== null && current.progressPercent !== undefined && (
            <Progress value={current.progressPercent} w={160} aria-label="Command progress" />
          )}
        </Group>
      )}
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Queue this command?">
        <Stack>
          <Text>
            {draft.type} to {gateway.name} with {JSON.stringify(parametersOf(draft))}
          </Text>
          <ErrorAlert error={queue.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button
              loading={queue.running}
              onClick={() =>
                void queue
                  .run({
                    input: {
                      gatewayId: gateway.id,
                      idempotencyKey: crypto.randomUUID(),
                      type: draft.type,
                      parameters: parametersOf(draft),
                      timeoutSeconds: draft.timeoutSeconds,
                    },
                  })
                  .then((queued) => {
                    if (!queued) return;
                    setFollowed(queued.queueCommand.command);
                    setConfirming(false);
                    onQueued();
                  })
              }
            >
              Queue
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}

function GatewayActions({ gateway, onDone }: { gateway: Gateway; onDone: () => void }) {
  const c = useConsole();
  const replace = useMutation(ReplaceGatewayMutation);
  const deregister = useMutation(DeregisterGatewayMutation);
  const [deregisterNow, setDeregisterNow] = useState(false);
  const [token, setToken] = useState<string | null>(null);
  return (
    <Group>
      <ConfirmButton
        label="Replace (firmware swap)"
        title={`Replace ${gateway.name}?`}
        color="indigo"
        confirmLabel="Get a replacement token"
        error={replace.error}
        running={replace.running}
        onConfirm={async () => {
          const result = await replace.run({ input: { gatewayId: gateway.id, deregisterNow } });
          if (result) {
            setToken(result.replaceGateway.replacement.activationToken.token);
            onDone();
          }
          return Boolean(result);
        }}
      >
        <Text>The new gateway registers on the same profile with a token minted now; the old one leaves when it does.</Text>
        <Checkbox
          label="De-register the old gateway now"
          checked={deregisterNow}
          onChange={(e) => setDeregisterNow(e.currentTarget.checked)}
        />
      </ConfirmButton>
      {c.isAdmin && (
        <ConfirmButton
          label="De-register"
          title={`De-register ${gateway.name}?`}
          confirmLabel="De-register"
          error={deregister.error}
          running={deregister.running}
          onConfirm={async () => {
            const result = await deregister.run({ gatewayId: gateway.id });
            if (result) onDone();
            return Boolean(result);
          }}
        >
          <Text>The gateway&apos;s credentials stop working at once and its pending commands are aborted.</Text>
        </ConfirmButton>
      )}
      <Modal opened={token !== null} onClose={() => setToken(null)} title="Replacement activation token" size="lg">
        {token && <SecretOnce label="Activation token for the new gateway" value={token} testId="replacement-token" />}
      </Modal>
    </Group>
  );
}

/** A command's history, as the gateway and the service reported it (read when opened). */
function CommandHistory({ commandId }: { commandId: string }) {
  const c = useConsole();
  const query = useQuery(CommandQuery, { commandId });
  useSubscription(CommandUpdatedSubscription, { tenantId: c.tenantId }, ({ commandUpdated }) => {
    if (commandUpdated.commandId === commandId) void query.refetch();
  });
  if (!query.data) return query.error ? <ErrorAlert error={query.error} /> : <Text size="sm">Loading…</Text>;
  return (
    <ol aria-label="History" style={{ margin: 0 }}>
      {(query.data.command.history ?? []).map((entry, i) => (
        <li key={i}>
          {new Date(entry.at).toISOString()} {entry.state} by {entry.source}
          {entry.progressPercent !== null && entry.progressPercent !== undefined ? ` ${entry.progressPercent} %` : ''}
          {entry.errorCode ? ` ${entry.errorCode}` : ''}
          {entry.message ? `: ${entry.message}` : ''}
        </li>
      ))}
    </ol>
  );
}
