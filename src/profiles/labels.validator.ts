import { registerDecorator, type ValidationArguments } from 'class-validator';
import { labelProblems } from './labels.js';

/** A labels object valid as Kubernetes labels (labels.ts); the message names the first bad label. */
export function IsLabels(): PropertyDecorator {
  return (target: object, propertyKey: string | symbol) =>
    registerDecorator({
      name: 'isLabels',
      target: target.constructor,
      propertyName: String(propertyKey),
      validator: {
        validate: (value: unknown) => labelProblems(value).length === 0,
        defaultMessage: (args: ValidationArguments) =>
          labelProblems(args.value)
            .map((problem) => problem.message)
            .join('; '),
      },
    });
}
