import { registerDecorator, type ValidationOptions } from 'class-validator';

export const MAX_JSON_BYTES = 64 * 1024;
export const MAX_JSON_DEPTH = 16;

function depthOf(value: unknown, depth = 0): number {
  if (depth > MAX_JSON_DEPTH) return depth;
  if (value === null || typeof value !== 'object') return depth;
  let max = depth + 1;
  for (const child of Object.values(value)) max = Math.max(max, depthOf(child, depth + 1));
  return max;
}

/** Whether a free-form JSON document keeps the limits: at most 64 KiB serialised and 16 levels deep. */
export const isBoundedJson = (value: unknown): boolean =>
  Buffer.byteLength(JSON.stringify(value) ?? '') <= MAX_JSON_BYTES && depthOf(value) <= MAX_JSON_DEPTH;

/** A free-form JSON document with explicit limits: at most 64 KiB serialised and 16 levels deep. */
export function IsBoundedJson(options?: ValidationOptions) {
  return (target: object, property: string) =>
    registerDecorator({
      name: 'isBoundedJson',
      target: target.constructor,
      propertyName: property,
      options: {
        message: `${property} must be a JSON document of at most ${MAX_JSON_BYTES} bytes and ${MAX_JSON_DEPTH} levels`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => value === undefined || isBoundedJson(value),
      },
    });
}
