import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { sqlIn, type Statements } from '../platform/database/sql.js';
import { tenantOwnerLookup } from '../platform/graphql/tenant-scope.decorator.js';
import { isUuid } from '../platform/database/uuid.js';
import { paginate, type Page, type PageRequest } from '../platform/pagination/cursor.js';
import { ValidationRunEntity } from './validation-run.entity.js';
import { VALIDATION_STATES, isFinal } from './validation-rules.js';

const UNFINISHED = sqlIn(VALIDATION_STATES.filter((state) => !isFinal(state)));

export const STATEMENTS = {
  quiet: `SELECT id, tick FROM validation_runs
       WHERE (state ${UNFINISHED} OR watch_until IS NOT NULL) AND updated_at < now() - make_interval(secs => $1::double precision / 1000)`,
  /** Which of the given tenants owns the run (GraphQL scopes follow an object to its tenant). */
  tenantOfRun: `SELECT tenant_id FROM validation_runs WHERE id = $1 AND tenant_id = ANY($2::uuid[])`,
} satisfies Statements;

/** Every statement on validation_runs. */
@Injectable()
export class ValidationsStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The one of `tenantIds` that owns run `id`, or null (GraphQL scopes follow an object to its tenant). */
  async tenantOf(id: string, tenantIds: readonly string[]): Promise<string | null> {
    const rows: { tenant_id: string }[] = await this.dataSource.query(STATEMENTS.tenantOfRun, [id, tenantIds]);
    return rows[0]?.tenant_id ?? null;
  }

  async insert(manager: EntityManager, run: ValidationRunEntity): Promise<void> {
    await manager.insert(ValidationRunEntity, run);
  }

  /** Runs of a tenant by id, in one query. */
  async getMany(tenantId: string, ids: readonly string[]): Promise<Map<string, ValidationRunEntity>> {
    const wanted = ids.filter(isUuid);
    if (!wanted.length) return new Map();
    const rows = await this.dataSource.manager.find(ValidationRunEntity, { where: { tenantId, id: In(wanted) } });
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** The run under a row lock, in the caller's transaction; null for an unknown id. */
  lock(manager: EntityManager, runId: string): Promise<ValidationRunEntity | null> {
    return isUuid(runId)
      ? manager.findOne(ValidationRunEntity, { where: { id: runId }, lock: { mode: 'pessimistic_write' } })
      : Promise.resolve(null);
  }

  /** A tenant's run (locked when asked); null when it is not this tenant's. */
  find(
    tenantId: string,
    runId: string,
    manager: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<ValidationRunEntity | null> {
    if (!isUuid(runId)) return Promise.resolve(null);
    return manager.findOne(ValidationRunEntity, {
      where: { id: runId, tenantId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  async save(manager: EntityManager, run: ValidationRunEntity): Promise<void> {
    await manager.update(
      ValidationRunEntity,
      { id: run.id },
      {
        state: run.state,
        phase: run.phase,
        report: run.report,
        commandIds: run.commandIds,
        failureReason: run.failureReason,
        deadlineAt: run.deadlineAt,
        watchUntil: run.watchUntil,
        tick: run.tick,
        endedAt: run.endedAt,
      },
    );
  }

  /** A tenant's runs, newest first; of one gateway when given. */
  async list(tenantId: string, gatewayId: string | undefined, page: PageRequest): Promise<Page<ValidationRunEntity>> {
    const query = this.dataSource.manager.createQueryBuilder(ValidationRunEntity, 'v').where('v.tenant_id = :tenantId', { tenantId });
    if (gatewayId) {
      if (!isUuid(gatewayId)) return { items: [], nextCursor: null };
      query.andWhere('v.gateway_id = :gatewayId', { gatewayId });
    }
    return paginate(query, page, { alias: 'v', column: 'created_at', property: 'createdAt' });
  }

  /** Watched runs that have not moved for a while: their look's job may have been lost. */
  async quiet(olderThanMs: number): Promise<{ id: string; tick: number }[]> {
    return this.dataSource.query(STATEMENTS.quiet, [olderThanMs]);
  }
}

export const VALIDATION_OWNER = tenantOwnerLookup(ValidationsStore, (store, id, tenants) => store.tenantOf(id, tenants));
