import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import { defineRule, type RuleDefinition } from '../../src/engine/rule.js';

/** The one-pass keyword prefilter must let a rule run whenever one of its keywords occurs. */
const rule = (id: string, keyword: string, pattern: RegExp): RuleDefinition =>
  defineRule({ id, title: id, severity: 'error', keywords: [keyword], pattern, why: 'w', fix: ['f'], examples: { positive: [], negative: [] } });

describe('keyword prefilter', () => {
  const rules = [
    rule('short', 'ab', /ab[0-9]{4}/g),
    rule('prefix-sharing', 'abc', /abc[0-9]{4}/g),
    rule('overlapping', 'bcd', /bcd[0-9]{4}/g),
    rule('inside', 'c.d', /c\.d[0-9]{4}/g),
  ];
  const ids = (text: string) => createEngine(rules).scan({ path: 'x', text, origin: 'file', bytes: text.length }).map((f) => f.ruleId).sort();

  it('sees keywords that share a prefix, overlap, or sit inside another', () => {
    expect(ids('abc1234')).toEqual(['prefix-sharing']);
    expect(ids('abcd1234')).toEqual(['overlapping']);
    expect(ids('ab1234 abc5678')).toEqual(['prefix-sharing', 'short']);
    expect(ids('xc.d1234')).toEqual(['inside']);
    expect(ids('nothing here')).toEqual([]);
  });

  it('treats keywords as literals, not patterns', () => {
    expect(ids('cxd1234')).toEqual([]);
  });
});
