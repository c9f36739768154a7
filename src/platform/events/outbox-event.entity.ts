import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An outgoing event written in the same transaction as the change it reports, then relayed to
 * Redis pub/sub (GraphQL subscriptions on every process) by the outbox relay. A change and its
 * notification can therefore never disagree, even when a process dies between the two.
 */
@Entity({ name: 'outbox_events' })
export class OutboxEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('text') topic!: string;
  @Column('jsonb') payload!: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt!: Date | null;
}
