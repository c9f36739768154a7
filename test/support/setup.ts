import { afterEach, expect } from 'vitest';
import { takeViolations } from './response-validator.js';

// Every REST answer the test's service sent must match openapi/openapi.yaml (response-validator.ts).
afterEach(() => {
  expect(takeViolations(), 'answers that openapi/openapi.yaml does not describe').toEqual([]);
});
