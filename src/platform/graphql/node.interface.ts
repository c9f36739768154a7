import { Field, ID, InterfaceType } from '@nestjs/graphql';

/**
 * Relay's Node: an object `node(id)` can find again. Ids are the objects' uuids as REST shows them
 * (random v4 uuids, unique across every table), not an encoding of type and id: a console can mix
 * REST and GraphQL, and deep links stay the same. The type is resolved from the view's class.
 */
@InterfaceType('Node', { description: 'An object with an id unique across every type (its uuid, the same as in REST)' })
export abstract class NodeInterface {
  @Field(() => ID) id!: string;
}
