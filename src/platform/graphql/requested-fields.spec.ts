import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { asksForField } from './requested-fields.js';

/** The resolve info of the first top-level field of `query`, as graphql-js hands it to a resolver. */
function infoOf(query: string) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments };
}

describe('asksForField', () => {
  it('finds a field asked for directly, below edges, in an inline fragment or a named fragment', () => {
    expect(asksForField(infoOf('{ gateways { nodes { id assessment { health } } } }'), 'assessment')).toBe(true);
    expect(asksForField(infoOf('{ gateways { edges { node { assessment { health } } } } }'), 'assessment')).toBe(true);
    expect(asksForField(infoOf('{ gateways { nodes { ... on Gateway { assessment { health } } } } }'), 'assessment')).toBe(true);
    expect(
      asksForField(
        infoOf('{ gateways { nodes { ...G } } } fragment G on Gateway { id ...H } fragment H on Gateway { assessment { health } }'),
        'assessment',
      ),
    ).toBe(true);
  });

  it('answers false when no part of the query asks for it', () => {
    expect(asksForField(infoOf('{ gateways { nodes { id name nodes { hostname } } pageInfo { endCursor } } }'), 'assessment')).toBe(false);
    // A fragment that spreads itself (invalid, but the search must still end).
    expect(asksForField(infoOf('{ gateways { nodes { ...G } } } fragment G on Gateway { id ...G }'), 'assessment')).toBe(false);
  });

  it('counts a field of the same name at any depth (a nested relation may need the column)', () => {
    expect(asksForField(infoOf('{ gateways { nodes { profile { activeGateway { assessment { health } } } } } }'), 'assessment')).toBe(true);
  });
});
