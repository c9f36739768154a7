import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobQueue } from './job-queue.service.js';
import { QueueWorkers } from './queue-workers.service.js';

@Global()
@Module({ imports: [DiscoveryModule], providers: [JobQueue, QueueWorkers], exports: [JobQueue, QueueWorkers] })
export class QueuesModule {}
