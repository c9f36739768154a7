import { Button, Card, Group, Modal, MultiSelect, NumberInput, Progress, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { BulkCommandMutation, BulkCommandQuery, CommandUpdatedSubscription, FleetQuery } from '../api/documents';
import { useMutation, useQuery, useSubscription } from '../api/hooks';
import { CommandFields, parametersOf, useCommandDraft } from '../components/CommandForm';
import { ErrorAlert, StatusBadge } from '../components/common';
import { useConsole } from '../session';

const ENDED = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'EXPIRED', 'CANCELLED', 'ABORTED'];

export function BulkPage() {
  const c = useConsole();
  const profiles = useQuery(FleetQuery, { tenantId: c.tenantId, first: 100, status: 'CONNECTED' });
  const [targets, setTargets] = useState<string[]>([]);
  const [draft, setDraft] = useCommandDraft();
  const [maxConcurrency, setMaxConcurrency] = useState<number>(10);
  const [maxErrors, setMaxErrors] = useState('10%');
  const [confirming, setConfirming] = useState(false);
  const [bulkId, setBulkId] = useState<string | null>(null);
  const create = useMutation(BulkCommandMutation);
  const options = (profiles.data?.profiles.nodes ?? []).map((p) => ({ value: p.id, label: p.name }));
  return (
    <Stack>
      <Title order={2}>Bulk commands</Title>
      {c.canOperate ? (
        <Card withBorder component="section" aria-label="New bulk command">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setConfirming(true);
            }}
          >
            <Stack>
              <MultiSelect
                label="Profiles (their active gateways)"
                description="connected profiles of this tenant"
                data={options}
                value={targets}
                onChange={setTargets}
                searchable
                required
              />
              <Button variant="subtle" w="fit-content" onClick={() => setTargets(options.map((o) => o.value))}>
                Select all {options.length}
              </Button>
              <CommandFields draft={draft} onChange={setDraft} />
              <Group grow>
                <NumberInput
                  label="At most this many at once"
                  min={1}
                  value={maxConcurrency}
                  onChange={(v) => setMaxConcurrency(typeof v === 'number' ? v : 10)}
                />
                <TextInput
                  label="Stop after this many failures"
                  description="a number or a percentage"
                  value={maxErrors}
                  onChange={(e) => setMaxErrors(e.currentTarget.value)}
                />
              </Group>
              <Button type="submit" w="fit-content" disabled={targets.length === 0}>
                Run on {targets.length} gateways
              </Button>
            </Stack>
          </form>
        </Card>
      ) : (
        <Text>Your roles cannot send commands.</Text>
      )}
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Run this bulk command?">
        <Stack>
          <Text>
            {draft.type} with {JSON.stringify(parametersOf(draft))} on {targets.length} gateways, {maxConcurrency} at once.
          </Text>
          <ErrorAlert error={create.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button
              loading={create.running}
              onClick={() =>
                void create
                  .run({
                    input: {
                      tenantId: c.tenantId,
                      idempotencyKey: crypto.randomUUID(),
                      type: draft.type,
                      parameters: parametersOf(draft),
                      timeoutSeconds: draft.timeoutSeconds,
                      targets: { profileIds: targets },
                      maxConcurrency,
                      maxErrors,
                    },
                  })
                  .then((result) => {
                    if (!result) return;
                    setBulkId(result.createBulkCommand.bulkCommand.id);
                    setConfirming(false);
                  })
              }
            >
              Run
            </Button>
          </Group>
        </Stack>
      </Modal>
      {bulkId && <BulkProgress bulkId={bulkId} />}
    </Stack>
  );
}

function BulkProgress({ bulkId }: { bulkId: string }) {
  const c = useConsole();
  const bulk = useQuery(BulkCommandQuery, { bulkId });
  useSubscription(CommandUpdatedSubscription, { tenantId: c.tenantId }, ({ commandUpdated }) => {
    if (commandUpdated.bulkId === bulkId) void bulk.refetch();
  });
  const b = bulk.data?.bulkCommand;
  // The bulk command's own state moves after its commands' last update: look again while it runs.
  const running = b?.state === 'RUNNING';
  const { refetch } = bulk;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void refetch(), 2000);
    return () => clearInterval(timer);
  }, [running, refetch]);
  if (!b) return <ErrorAlert error={bulk.error} />;
  const ended = b.counts.filter((x) => ENDED.includes(x.key)).reduce((sum, x) => sum + x.count, 0);
  const failed = b.counts.filter((x) => ENDED.includes(x.key) && x.key !== 'SUCCEEDED').reduce((sum, x) => sum + x.count, 0);
  const percent = b.targets === 0 ? 100 : Math.round((ended / b.targets) * 100);
  return (
    <Card withBorder component="section" aria-label="Bulk command progress" data-testid="bulk-progress">
      <Group mb="sm">
        <Text fw={600}>
          {b.type} on {b.targets} gateways
        </Text>
        <StatusBadge value={b.state} testId="bulk-state" />
        {b.stopReason && <Text c="red.9">{b.stopReason}</Text>}
      </Group>
      <Progress.Root size="xl" aria-label={`${ended} of ${b.targets} ended`}>
        <Progress.Section value={b.targets ? ((ended - failed) / b.targets) * 100 : 0} color="green">
          <Progress.Label>{ended - failed} succeeded</Progress.Label>
        </Progress.Section>
        <Progress.Section value={b.targets ? (failed / b.targets) * 100 : 0} color="red">
          <Progress.Label>{failed} failed</Progress.Label>
        </Progress.Section>
      </Progress.Root>
      <Text size="sm" mt="xs" data-testid="bulk-percent">
        {ended} of {b.targets} ended ({percent} %)
      </Text>
      <Table mt="sm">
        <Table.Tbody>
          {b.counts.map((x) => (
            <Table.Tr key={x.key}>
              <Table.Td>
                <StatusBadge value={x.key} />
              </Table.Td>
              <Table.Td>{x.count}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
