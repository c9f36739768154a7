import { Field, ObjectType } from '@nestjs/graphql';
import { MigrationView } from './migration.view.js';

@ObjectType('StartMigrationPayload')
export class StartMigrationPayload {
  @Field(() => MigrationView, { description: 'with the activation token for the target, in this answer only' }) migration!: MigrationView;
}

@ObjectType('RollbackMigrationPayload')
export class RollbackMigrationPayload {
  @Field(() => MigrationView, { description: 'with the activation token for the gateway rolled back to, in this answer only' })
  migration!: MigrationView;
}
