import { Alert, Badge, Button, CopyButton, Code, Group, Modal, Stack, Text, Tooltip } from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';
import type { ApiError } from '../api/client';

const STATUS_COLOURS: Record<string, string> = {
  CONNECTED: 'green',
  HEALTHY: 'green',
  SUCCEEDED: 'green',
  COMPLETED: 'green',
  PASSED: 'green',
  ACTIVE: 'green',
  RUNNING: 'blue',
  MIGRATING: 'blue',
  REGISTERED: 'blue',
  QUEUED: 'gray',
  DELIVERED: 'cyan',
  ACKNOWLEDGED: 'cyan',
  NOT_REGISTERED: 'gray',
  DEGRADED: 'orange',
  DISCONNECTED: 'red',
  DOWN: 'red',
  FAILED: 'red',
  MISSING: 'red',
  TIMED_OUT: 'red',
  EXPIRED: 'gray',
  ABORTED: 'gray',
  CANCELLED: 'gray',
  DEREGISTERED: 'gray',
  ROLLED_BACK: 'grape',
  SUSPENDED: 'red',
  UNKNOWN: 'gray',
  NOT_SUPPORTED: 'gray',
};

/** A state as a badge; the word is always written out (colour is never the only signal). */
export function StatusBadge({ value, testId }: { value: string | null | undefined; testId?: string }) {
  if (!value) return <Text c="dimmed">—</Text>;
  return (
    <Badge color={STATUS_COLOURS[value] ?? 'gray'} variant="light" data-testid={testId} data-status={value}>
      {value}
    </Badge>
  );
}

/** An error as the service gave it: its code first. */
export function ErrorAlert({ error, title = 'The request failed' }: { error: ApiError | undefined; title?: string }) {
  if (!error) return null;
  return (
    <Alert color="red" title={title} role="alert" data-testid="error">
      <Code data-testid="error-code">{error.code}</Code> {error.message}
    </Alert>
  );
}

/** "12 s ago" for a time in the past. */
export function since(at: string | null | undefined, now = Date.now()): string {
  if (!at) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(at)) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 129600) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

export function When({ at }: { at: string | null | undefined }) {
  if (!at)
    return (
      <Text span c="dimmed">
        never
      </Text>
    );
  return (
    <Tooltip label={new Date(at).toISOString()}>
      <time dateTime={at}>{since(at)}</time>
    </Tooltip>
  );
}

/** A secret shown once, with a copy button. */
export function SecretOnce({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Alert color="yellow" title={label}>
      <Stack gap="xs">
        <Text size="sm">It is shown only now: copy it before you close this.</Text>
        <Group gap="xs" wrap="nowrap">
          <Code block data-testid={testId} style={{ wordBreak: 'break-all', flex: 1 }}>
            {value}
          </Code>
          <CopyButton value={value}>
            {({ copied, copy }) => (
              <Button size="xs" onClick={copy} variant="light">
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
      </Stack>
    </Alert>
  );
}

/** A button that asks before it acts; the action's error stays in the dialog, by code. */
export function ConfirmButton(props: {
  label: string;
  title: string;
  children?: ReactNode;
  confirmLabel?: string;
  color?: string;
  disabled?: boolean;
  onConfirm: () => Promise<boolean>;
  error?: ApiError;
  running?: boolean;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button color={props.color ?? 'red'} variant="light" disabled={props.disabled} onClick={() => setOpen(true)}>
        {props.label}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={props.title}>
        <Stack>
          {props.children}
          <ErrorAlert error={props.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button
              color={props.color ?? 'red'}
              loading={props.running}
              onClick={() => {
                void props.onConfirm().then((ok) => ok && setOpen(false));
              }}
            >
              {props.confirmLabel ?? 'Confirm'}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

export function countOf(list: { key: string; count: number }[] | undefined, key: string): number {
  return list?.find((c) => c.key === key)?.count ?? 0;
}

/** Re-renders the caller every `ms` (so "12 s ago" keeps counting). */
export function useTicking(ms = 5000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
