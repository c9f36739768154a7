import {
  GraphQLError,
  Kind,
  type ArgumentNode,
  type ObjectFieldNode,
  type ASTNode,
  type ValidationContext,
  type ASTVisitor,
} from 'graphql';
import { InputErrorCode, INVALID_CHARACTERS_MESSAGE, isStorableText, MAX_BODY_DEPTH } from '../validation/input-hygiene.js';

/**
 * The GraphQL face of the input hygiene check (platform/validation/input-hygiene.ts), for values
 * written into the query text itself (variables arrive in the JSON body and are checked there):
 * a string literal with a NUL or an unpaired surrogate is INVALID_CHARACTERS, and object or list
 * literals nested deeper than MAX_BODY_DEPTH are BODY_TOO_DEEP, both as validation errors, before
 * anything executes.
 */
/** `input.name`: the argument and object fields above a literal. */
function fieldOf(ancestors: readonly (ASTNode | readonly ASTNode[])[]): string {
  const names = ancestors
    .filter(
      (a): a is ObjectFieldNode | ArgumentNode =>
        !Array.isArray(a) && ((a as ASTNode).kind === Kind.OBJECT_FIELD || (a as ASTNode).kind === Kind.ARGUMENT),
    )
    .map((a) => a.name.value);
  return names.join('.') || 'value';
}

export function graphqlInputHygieneRule(context: ValidationContext): ASTVisitor {
  let valueDepth = 0;
  let reportedDepth = false;
  const enterValue = (node: ASTNode) => {
    valueDepth++;
    if (valueDepth > MAX_BODY_DEPTH && !reportedDepth) {
      reportedDepth = true;
      context.reportError(
        new GraphQLError(`an input value nests objects and lists deeper than ${MAX_BODY_DEPTH} levels`, {
          nodes: node,
          extensions: { code: InputErrorCode.BODY_TOO_DEEP },
        }),
      );
    }
  };
  const leaveValue = () => {
    valueDepth--;
  };
  return {
    ObjectValue: { enter: enterValue, leave: leaveValue },
    ListValue: { enter: enterValue, leave: leaveValue },
    StringValue(node, _key, parent, _path, ancestors) {
      if (isStorableText(node.value)) return;
      const field = fieldOf(parent ? [...ancestors, parent] : ancestors);
      context.reportError(
        new GraphQLError(`${field} ${INVALID_CHARACTERS_MESSAGE}`, {
          nodes: node,
          extensions: { code: InputErrorCode.INVALID_CHARACTERS, errors: [{ field, message: INVALID_CHARACTERS_MESSAGE }] },
        }),
      );
    },
  };
}
