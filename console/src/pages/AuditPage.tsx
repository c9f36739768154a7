import { Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { AuditQuery } from '../api/documents';
import { useQuery } from '../api/hooks';
import { ErrorAlert } from '../components/common';
import { useConsole } from '../session';

export function AuditPage() {
  const c = useConsole();
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const audit = useQuery(AuditQuery, { tenantId: c.tenantId, first: 50, after: cursors[cursors.length - 1] });
  const events = audit.data?.auditEvents.nodes ?? [];
  return (
    <Stack>
      <Title order={2}>Audit log of {c.tenantName}</Title>
      <ErrorAlert error={audit.error} />
      <Table.ScrollContainer minWidth={800}>
        <Table striped aria-label="Audit events" data-testid="audit-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Action</Table.Th>
              <Table.Th>By</Table.Th>
              <Table.Th>Target</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {events.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>
                  <time dateTime={e.createdAt}>{new Date(e.createdAt).toISOString().replace('T', ' ').slice(0, 19)}</time>
                </Table.Td>
                <Table.Td>{e.action}</Table.Td>
                <Table.Td>
                  {e.actorType} {e.actorId ?? ''}
                </Table.Td>
                <Table.Td>
                  {e.targetType} {e.targetId ?? ''}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {events.length === 0 && !audit.loading && <Text c="dimmed">No events.</Text>}
      <Group>
        <Button variant="default" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </Button>
        <Button
          variant="default"
          disabled={!audit.data?.auditEvents.pageInfo.hasNextPage}
          onClick={() => setCursors([...cursors, audit.data?.auditEvents.pageInfo.endCursor ?? null])}
        >
          Older
        </Button>
      </Group>
    </Stack>
  );
}
