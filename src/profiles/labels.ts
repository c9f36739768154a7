import { invalidRequest, type FieldError } from '../platform/errors/domain-error.js';

/**
 * Labels on management profiles, validated like Kubernetes labels: a key is an optional DNS
 * subdomain prefix (at most 253 characters) and `/`, then a name of at most 63 characters
 * (alphanumerics, `-`, `_`, `.`, starting and ending with an alphanumeric); a value is empty or
 * a name. At most MAX_LABELS per profile.
 */
export type Labels = Record<string, string>;

export const MAX_LABELS = 64;
const NAME = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Why `key` is not a valid label key, or null. */
export function labelKeyProblem(key: string): string | null {
  const slash = key.indexOf('/');
  const [prefix, name] = slash === -1 ? [null, key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (prefix !== null && (!prefix.length || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)))
    return `label key ${JSON.stringify(key)}: the prefix must be a DNS subdomain (lower case, at most 253 characters)`;
  if (!NAME.test(name))
    return `label key ${JSON.stringify(key)}: the name must be 1 to 63 characters of A-Z a-z 0-9 - _ ., starting and ending with a letter or digit`;
  return null;
}

/** Why `value` is not a valid label value, or null. */
export function labelValueProblem(key: string, value: unknown): string | null {
  if (typeof value !== 'string') return `label ${JSON.stringify(key)}: the value must be a string`;
  if (value !== '' && !NAME.test(value))
    return `label ${JSON.stringify(key)}: the value must be empty or 1 to 63 characters of A-Z a-z 0-9 - _ ., starting and ending with a letter or digit`;
  return null;
}

/** Every problem of a labels object (field `labels.<key>`), empty when it is valid. */
export function labelProblems(labels: unknown, field = 'labels'): FieldError[] {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels))
    return [{ field, message: `${field} must be an object of label keys to string values` }];
  const entries = Object.entries(labels as Record<string, unknown>);
  const problems: FieldError[] = [];
  if (entries.length > MAX_LABELS) problems.push({ field, message: `${field} holds at most ${MAX_LABELS} labels` });
  for (const [key, value] of entries) {
    const problem = labelKeyProblem(key) ?? labelValueProblem(key, value);
    if (problem) problems.push({ field: `${field}.${key}`, message: problem });
  }
  return problems.slice(0, 20);
}

export type SelectorRequirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'absent' };

/**
 * Parses a Kubernetes label selector: comma-separated requirements, each `key=value` (or `==`),
 * `key!=value`, `key in (a,b)`, `key notin (a,b)`, `key` (has the label) or `!key` (has not).
 * Every requirement must hold. A malformed one is 400 naming `field`.
 */
export function parseLabelSelector(text: string, field = 'labelSelector'): SelectorRequirement[] {
  const fail = (message: string) => invalidRequest(`${field} is not a valid label selector: ${message}`, [{ field, message }]);
  if (text.length > 4096) throw fail('at most 4096 characters');
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (depth < 0) throw fail('unbalanced parentheses');
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  if (depth !== 0) throw fail('unbalanced parentheses');
  parts.push(current);
  const requirements = parts.map((raw): SelectorRequirement => {
    const part = raw.trim();
    if (!part) throw fail('an empty requirement');
    let match = /^([^\s!=(),]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(part);
    if (match) {
      const values = match[3]!
        .split(',')
        .map((value) => value.trim())
        .filter((value, index, all) => value !== '' || all.length === 1);
      if (!values.length || values.some((value) => labelValueProblem(match![1]!, value)))
        throw fail(`bad values in ${JSON.stringify(part)}`);
      return checkedKey({ key: match[1]!, op: match[2] as 'in' | 'notin', values });
    }
    match = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(part);
    if (match) {
      const value = match[3]!;
      if (labelValueProblem(match[1]!, value)) throw fail(`bad value in ${JSON.stringify(part)}`);
      return checkedKey({ key: match[1]!, op: match[2] === '!=' ? 'neq' : 'eq', value });
    }
    match = /^(!?)\s*([^\s!=(),]+)$/.exec(part);
    if (match) return checkedKey({ key: match[2]!, op: match[1] ? 'absent' : 'exists' });
    throw fail(`cannot read ${JSON.stringify(part)}`);
  });
  if (requirements.length > 32) throw fail('at most 32 requirements');
  return requirements;

  function checkedKey<R extends SelectorRequirement>(requirement: R): R {
    const problem = labelKeyProblem(requirement.key);
    if (problem) throw fail(problem);
    return requirement;
  }
}

/** Whether `labels` satisfy every requirement (the same rules as the SQL in profiles.store.ts). */
export function selectorMatches(requirements: SelectorRequirement[], labels: Labels): boolean {
  return requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.op) {
      case 'eq':
        return has && labels[r.key] === r.value;
      case 'neq':
        return !has || labels[r.key] !== r.value;
      case 'in':
        return has && r.values.includes(labels[r.key]!);
      case 'notin':
        return !has || !r.values.includes(labels[r.key]!);
      case 'exists':
        return has;
      case 'absent':
        return !has;
    }
  });
}
