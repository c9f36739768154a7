import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../platform/auth/principal.js';

/** A partner's script or integration: client credentials, roles, belonging to one tenant. */
@Entity({ name: 'api_clients' })
@Index('api_clients_tenant_idx', ['tenantId', 'createdAt', 'id'])
export class ApiClientEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  /** The public half of the credentials (OAuth2 `client_id`), unique across the service. */
  @Column('text', { name: 'client_id', unique: true }) clientId!: string;
  @Column('text') name!: string;
  @Column('text', { array: true }) roles!: Role[];
  @Column('text', { name: 'secret_hash' }) secretHash!: string;
  @Column('text', { name: 'secret_prefix' }) secretPrefix!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  /** Set when deleted: the row stays for the audit log, its tokens stop working at once. */
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
}
