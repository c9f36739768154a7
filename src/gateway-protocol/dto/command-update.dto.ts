import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { invalidRequest } from '../../platform/errors/domain-error.js';
import { isBoundedJson, MAX_JSON_BYTES, MAX_JSON_DEPTH } from '../../platform/validation/bounded-json.js';
import { fieldErrorSummary } from '../../platform/validation/validation.js';
import { GATEWAY_UPDATE_STATES } from '../../commands/command-state.js';
import { ProtocolCommandDto } from './heartbeat.dto.js';

/**
 * Section 6. Unknown fields are ignored. A zod schema (SchemaBody), not a class-validator DTO: three
 * of the five requests a command costs carry this body, and class-transformer's instance and
 * class-validator's metadata walk were a visible share of a bulk command's CPU.
 */
export const commandUpdateBody = z.object({
  state: z.enum(GATEWAY_UPDATE_STATES),
  progressPercent: z.int().min(0).max(100).nullish().meta({ example: 40 }),
  message: z.string().max(2000).nullish().meta({ example: 'restarting pods' }),
  result: z
    .record(z.string(), z.unknown())
    .nullish()
    .refine((value) => value === null || value === undefined || isBoundedJson(value), {
      message: `result must be a JSON document of at most ${MAX_JSON_BYTES} bytes and ${MAX_JSON_DEPTH} levels`,
    }),
  errorCode: z.string().max(100).nullish().meta({ example: 'APP_NOT_FOUND' }),
});
export type CommandUpdateBody = z.infer<typeof commandUpdateBody>;

@ApiSchema({ name: 'CommandUpdateResponse' })
export class CommandUpdateResponseDto {
  @ApiProperty({ description: 'false: a repeated or older update, which changed nothing' }) applied!: boolean;
}

/** The longest a poll may wait (section 4). */
export const MAX_WAIT_SECONDS = 30;

/**
 * The poll's `waitSeconds` (0 to 30, 0 when absent), checked by this pipe rather than a
 * class-validator DTO: two of the five requests a command costs are polls.
 */
export class WaitSecondsPipe implements PipeTransform<unknown, number> {
  transform(value: unknown): number {
    if (value === undefined) return 0;
    const seconds = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
    if (Number.isInteger(seconds) && seconds >= 0 && seconds <= MAX_WAIT_SECONDS) return seconds;
    const errors = [{ field: 'waitSeconds', message: `waitSeconds must be an integer from 0 to ${MAX_WAIT_SECONDS}` }];
    throw invalidRequest(fieldErrorSummary(errors), errors);
  }
}

@ApiSchema({ name: 'PollCommandsResponse' })
export class PollCommandsResponseDto {
  @ApiProperty({ type: [ProtocolCommandDto] }) commands!: ProtocolCommandDto[];
}
