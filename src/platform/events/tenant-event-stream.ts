import { Inject, Injectable } from '@nestjs/common';
import { withFilter } from 'graphql-subscriptions';
import type { UserPrincipal } from '../auth/principal.js';
import { TENANT_ACCESS, type TenantAccess } from '../auth/tenant-scope.js';
import { EventPublisher } from './event-publisher.service.js';
import type { EventEnvelope, EventTopic } from './topics.js';
import { Metrics } from '../metrics/catalog.js';

/**
 * A subscription's events, filtered to the tenants its subscriber may see: one tenant when asked
 * for one (checked like any other access), else the subscriber's tenant and, for a partner, the
 * clients it had when it subscribed.
 */
@Injectable()
export class TenantEventStream {
  constructor(
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(TENANT_ACCESS) private readonly tenancy: TenantAccess,
  ) {}

  async open(principal: UserPrincipal, topic: EventTopic, tenantId?: string | null, extra?: (event: EventEnvelope) => boolean) {
    const tenants = new Set(
      tenantId ? [(await this.tenancy.scope(principal, tenantId)).tenantId] : await this.tenancy.reachableTenantIds(principal),
    );
    const subscribe = withFilter(
      () => this.publisher.subscribe(topic),
      (event: EventEnvelope | undefined) => Boolean(event && tenants.has(event.tenantId) && (!extra || extra(event))),
    );
    // withFilter's function answers a promise of the iterator.
    return counted(topic, (await subscribe(undefined, {}, undefined, undefined)) as AsyncIterator<unknown>);
  }
}

/** The subscription's iterator, counted in gcp_graphql_subscriptions_open until it is closed. */
function counted<T>(topic: EventTopic, iterator: AsyncIterator<T>): AsyncIterableIterator<T> {
  Metrics.subscriptionsOpen.inc({ topic });
  let open = true;
  const close = () => {
    if (open) Metrics.subscriptionsOpen.dec({ topic });
    open = false;
  };
  return {
    next: () => iterator.next(),
    return: async (value?: unknown) => {
      close();
      return iterator.return ? iterator.return(value) : { done: true, value: undefined as T };
    },
    throw: async (error?: unknown) => {
      close();
      return iterator.throw ? iterator.throw(error) : Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
