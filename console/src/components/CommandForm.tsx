import { Group, NumberInput, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';

export const COMMAND_TYPES = [
  'PING',
  'RESTART_APP',
  'UPGRADE_FIRMWARE',
  'RUN_DISCOVERY',
  'APPLY_CONFIGURATION',
  'COLLECT_LOGS',
  'APPLY_PING_MONITORS',
  'STOP_NODE',
] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

/** One field of a command type's parameters (the service's command-types.ts, protocol v1 section 5). */
interface Field {
  name: string;
  label: string;
  kind: 'text' | 'number' | 'list';
  required: boolean;
  min?: number;
  max?: number;
  /** Pick from what the gateway reports (its apps, its nodes). */
  choices?: 'apps' | 'nodes';
  placeholder?: string;
}

const FIELDS: Record<CommandType, Field[]> = {
  PING: [],
  RESTART_APP: [{ name: 'app', label: 'App', kind: 'text', required: true, choices: 'apps', placeholder: 'vprobe' }],
  UPGRADE_FIRMWARE: [{ name: 'version', label: 'Firmware version', kind: 'text', required: true, placeholder: '1.4.2' }],
  RUN_DISCOVERY: [
    { name: 'profile', label: 'Discovery profile', kind: 'text', required: true, placeholder: 'datacenter-1' },
    { name: 'resources', label: 'Only these resources (one per line)', kind: 'list', required: false },
  ],
  APPLY_CONFIGURATION: [{ name: 'version', label: 'Configuration version', kind: 'number', required: true, min: 1 }],
  COLLECT_LOGS: [{ name: 'sinceMinutes', label: 'Minutes of logs', kind: 'number', required: true, min: 1, max: 10080 }],
  APPLY_PING_MONITORS: [{ name: 'resources', label: 'Resources (IP addresses or hostnames, one per line)', kind: 'list', required: true }],
  STOP_NODE: [{ name: 'hostname', label: 'Node', kind: 'text', required: true, choices: 'nodes' }],
};

export interface CommandDraft {
  type: CommandType;
  parameters: Record<string, unknown>;
  timeoutSeconds: number | null;
}

export function useCommandDraft(): [CommandDraft, (next: CommandDraft) => void] {
  const [draft, setDraft] = useState<CommandDraft>({ type: 'PING', parameters: {}, timeoutSeconds: null });
  return [draft, setDraft];
}

/** The type, then the fields its parameters take, each with its own input and label. */
export function CommandFields({
  draft,
  onChange,
  apps = [],
  nodes = [],
}: {
  draft: CommandDraft;
  onChange: (next: CommandDraft) => void;
  apps?: string[];
  nodes?: string[];
}) {
  const set = (name: string, value: unknown) => onChange({ ...draft, parameters: { ...draft.parameters, [name]: value } });
  return (
    <Stack>
      <Group grow align="start">
        <Select
          label="Command"
          data={[...COMMAND_TYPES]}
          value={draft.type}
          allowDeselect={false}
          onChange={(value) => value && onChange({ type: value as CommandType, parameters: {}, timeoutSeconds: draft.timeoutSeconds })}
        />
        <NumberInput
          label="Timeout (seconds)"
          description="default: the service's"
          min={1}
          value={draft.timeoutSeconds ?? ''}
          onChange={(value) => onChange({ ...draft, timeoutSeconds: typeof value === 'number' ? value : null })}
        />
      </Group>
      {FIELDS[draft.type].map((field) => {
        const value = draft.parameters[field.name];
        const choices = field.choices === 'apps' ? apps : field.choices === 'nodes' ? nodes : [];
        if (choices.length > 0)
          return (
            <Select
              key={field.name}
              label={field.label}
              required={field.required}
              data={choices}
              value={(value as string | undefined) ?? null}
              onChange={(v) => set(field.name, v ?? undefined)}
            />
          );
        if (field.kind === 'number')
          return (
            <NumberInput
              key={field.name}
              label={field.label}
              required={field.required}
              min={field.min}
              max={field.max}
              value={(value as number | undefined) ?? ''}
              onChange={(v) => set(field.name, typeof v === 'number' ? v : undefined)}
            />
          );
        if (field.kind === 'list')
          return (
            <Textarea
              key={field.name}
              label={field.label}
              required={field.required}
              autosize
              minRows={2}
              value={((value as string[] | undefined) ?? []).join('\n')}
              onChange={(e) => {
                const lines = e.currentTarget.value.split('\n');
                set(field.name, lines.some((l) => l.trim()) ? lines.map((l) => l.trim()) : undefined);
              }}
            />
          );
        return (
          <TextInput
            key={field.name}
            label={field.label}
            required={field.required}
            placeholder={field.placeholder}
            value={(value as string | undefined) ?? ''}
            onChange={(e) => set(field.name, e.currentTarget.value || undefined)}
          />
        );
      })}
    </Stack>
  );
}

/** The parameters as the service takes them: empty list lines dropped, unset fields left out. */
export function parametersOf(draft: CommandDraft): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(draft.parameters)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.filter((v) => typeof v === 'string' && v !== '') : value;
  }
  return out;
}
