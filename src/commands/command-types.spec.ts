import { describe, expect, it } from 'vitest';
import { DomainError } from '../platform/errors/domain-error.js';
import { PARAMETER_EXAMPLES, COMMAND_TYPES, validateParameters } from './command-types.js';

const fieldErrorsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as DomainError).fieldErrors;
  }
  throw new Error('expected a validation error');
};

describe('validateParameters', () => {
  it.each(COMMAND_TYPES)('accepts the documented example of %s', (type) => {
    expect(validateParameters(type, PARAMETER_EXAMPLES[type])).toEqual(PARAMETER_EXAMPLES[type]);
  });

  it.each([
    ['RESTART_APP', {}, 'parameters.app'],
    ['RESTART_APP', { app: '' }, 'parameters.app'],
    ['UPGRADE_FIRMWARE', { version: 'latest' }, 'parameters.version'],
    ['RUN_DISCOVERY', { profile: 7 }, 'parameters.profile'],
    ['APPLY_CONFIGURATION', { version: 0 }, 'parameters.version'],
    ['APPLY_CONFIGURATION', { version: '3' }, 'parameters.version'],
    ['COLLECT_LOGS', { sinceMinutes: 20_000 }, 'parameters.sinceMinutes'],
    ['PING', { extra: true }, 'parameters.extra'],
    ['RESTART_APP', { app: 'vprobe', force: true }, 'parameters.force'],
  ] as const)('%s with %o names %s', (type, parameters, field) => {
    const errors = fieldErrorsOf(() => validateParameters(type, parameters));
    expect(errors?.map((e) => e.field)).toContain(field);
  });
});
