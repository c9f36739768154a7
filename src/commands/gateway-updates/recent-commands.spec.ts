import { describe, expect, it } from 'vitest';
import { CommandEntity } from '../command.entity.js';
import { RecentCommands } from './recent-commands.js';

const command = (id: string, gatewayId = 'gw-1'): CommandEntity =>
  Object.assign(new CommandEntity(), { id, gatewayId, state: 'DELIVERED', progressPercent: null });

describe('RecentCommands', () => {
  it('answers a remembered command with its version, to its own gateway only', () => {
    const recent = new RecentCommands();
    recent.remember(command('c1'), '100');
    expect(recent.find('c1', 'gw-1')).toMatchObject({ version: '100', command: { id: 'c1', state: 'DELIVERED' } });
    expect(recent.find('c1', 'gw-2')).toBeUndefined();
    expect(recent.find('c2', 'gw-1')).toBeUndefined();
  });

  it('hands out copies: changing one changes neither the remembered command nor the next copy', () => {
    const recent = new RecentCommands();
    const original = command('c1');
    recent.remember(original, '100');
    original.state = 'RUNNING';
    const first = recent.find('c1', 'gw-1')!.command;
    first.state = 'SUCCEEDED';
    expect(recent.find('c1', 'gw-1')!.command.state).toBe('DELIVERED');
  });

  it('keeps the latest write of a command, forgets on request, and drops the least recently written past its capacity', () => {
    const recent = new RecentCommands(2);
    recent.remember(command('c1'), '1');
    recent.remember(command('c2'), '2');
    recent.remember(command('c1'), '3');
    recent.remember(command('c3'), '4');
    expect(recent.size).toBe(2);
    expect(recent.find('c2', 'gw-1')).toBeUndefined();
    expect(recent.find('c1', 'gw-1')?.version).toBe('3');
    recent.forget('c1');
    expect(recent.find('c1', 'gw-1')).toBeUndefined();
    expect(recent.size).toBe(1);
  });
});
