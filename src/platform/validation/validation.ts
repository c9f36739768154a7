import { applyDecorators, UsePipes, ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidateIf } from 'class-validator';
import { invalidRequest, type FieldError } from '../errors/domain-error.js';

/** Flattens class-validator's tree into `nodes[1].cpuCores`-style field errors. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.replace(/^(?:[\w.[\]]+\.)?(\w+) /, '$1 '),
    }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

/** The problem's detail line: the first few field errors. */
export const fieldErrorSummary = (fieldErrors: FieldError[]) =>
  `the request is invalid: ${fieldErrors
    .map((e) => `${e.field}: ${e.message}`)
    .slice(0, 3)
    .join('; ')}`;

const exceptionFactory = (errors: ValidationError[]) => {
  const fieldErrors = toFieldErrors(errors);
  return invalidRequest(fieldErrorSummary(fieldErrors), fieldErrors);
};

/** Management APIs (REST and GraphQL): unknown fields are a client mistake and answer 400. */
export const strictValidationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  exceptionFactory,
  validationError: { target: false, value: false },
});

/** The gateway protocol ignores unknown fields: gateways in the field add them over time. */
export const lenientValidationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: false,
  transform: true,
  exceptionFactory,
  validationError: { target: false, value: false },
});

export const StrictValidation = () => applyDecorators(UsePipes(strictValidationPipe));
export const LenientValidation = () => applyDecorators(UsePipes(lenientValidationPipe));

/**
 * For a PATCH field that may be left out but never cleared (a required column such as a name):
 * absent skips validation, an explicit `null` is validated like any value and answers 400.
 * (`@IsOptional()` lets null through, which reached the database's NOT NULL as a 500.)
 * Optional fields keep `@IsOptional()`: there, null clears the field.
 */
export const OmittableNotNull = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
