import { SetMetadata } from '@nestjs/common';
import type { JobName } from './job-catalog.js';

export const JOB_HANDLER = Symbol('JOB_HANDLER');

/**
 * Marks the provider method that runs jobs of one type. The method receives the typed payload;
 * it must be idempotent (a job may run twice), so it checks state in the database before acting.
 */
export const JobHandler = (name: JobName) => SetMetadata(JOB_HANDLER, name);
