import { describe, expect, it } from 'vitest';
import { DomainError } from '../platform/errors/domain-error.js';
import { labelProblems, parseLabelSelector, selectorMatches } from './labels.js';

describe('labels', () => {
  it('accepts Kubernetes-style keys and values', () => {
    expect(labelProblems({ site: 'paris', env: '', 'example.com/tier': 'gold-1', 'a.b_c-d': 'X.y_z' })).toEqual([]);
  });

  it('refuses bad keys and values, naming the label', () => {
    const problems = labelProblems({ '-site': 'paris', 'Bad.Prefix/x': 'y', env: 'has space', ['k'.repeat(64)]: 'v', n: 5 });
    expect(problems.map((p) => p.field)).toEqual([
      'labels.-site',
      'labels.Bad.Prefix/x',
      'labels.env',
      `labels.${'k'.repeat(64)}`,
      'labels.n',
    ]);
    expect(labelProblems(['a'])).toEqual([{ field: 'labels', message: expect.stringContaining('object') }]);
    expect(labelProblems(Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v'])))[0]!.message).toMatch(/at most 64/);
  });
});

describe('label selectors', () => {
  const paris = { site: 'paris', env: 'prod' };
  const lab = { site: 'paris', env: 'lab' };
  const berlin = { site: 'berlin' };

  it('reads equality, inequality, set and existence requirements', () => {
    expect(parseLabelSelector('site=paris,env!=lab')).toEqual([
      { key: 'site', op: 'eq', value: 'paris' },
      { key: 'env', op: 'neq', value: 'lab' },
    ]);
    expect(parseLabelSelector(' site in (paris, berlin) , env notin (lab),tier,!legacy , x==y')).toEqual([
      { key: 'site', op: 'in', values: ['paris', 'berlin'] },
      { key: 'env', op: 'notin', values: ['lab'] },
      { key: 'tier', op: 'exists' },
      { key: 'legacy', op: 'absent' },
      { key: 'x', op: 'eq', value: 'y' },
    ]);
  });

  it('matches like Kubernetes: != and notin also match profiles without the label', () => {
    const select = (text: string) => [paris, lab, berlin].filter((labels) => selectorMatches(parseLabelSelector(text), labels));
    expect(select('site=paris,env!=lab')).toEqual([paris]);
    expect(select('env!=lab')).toEqual([paris, berlin]);
    expect(select('env notin (lab, prod)')).toEqual([berlin]);
    expect(select('site in (berlin)')).toEqual([berlin]);
    expect(select('env')).toEqual([paris, lab]);
    expect(select('!env')).toEqual([berlin]);
  });

  it('refuses a malformed selector with 400 naming the field', () => {
    for (const bad of ['site=a b', 'in (a)', 'site in (a', ',', 'site=paris,,env=x', '-bad=x', 'a=b=c']) {
      try {
        parseLabelSelector(bad);
        expect.unreachable(bad);
      } catch (error) {
        expect(error, bad).toBeInstanceOf(DomainError);
        expect((error as DomainError).status).toBe(400);
        expect((error as DomainError).fieldErrors![0]!.field).toBe('labelSelector');
      }
    }
    // An empty value is valid: `site=` selects profiles whose site label is empty.
    expect(parseLabelSelector('site=')).toEqual([{ key: 'site', op: 'eq', value: '' }]);
  });
});
