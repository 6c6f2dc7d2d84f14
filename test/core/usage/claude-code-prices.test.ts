// TCE prices every model as the installed Claude Code does: its embedded model catalog (every model, every provider
// spelling, every tier, the long-prompt tier, web search) and its fast-mode rates. A Claude Code release that adds a
// model or changes a rate turns this red, instead of users' totals going unpriced or wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { PriceTable, normaliseModel } from '../../../src/core/usage/index.js';
import { WEB_SEARCH_USD } from '../../../src/core/usage/prices.js';
import { CLAUDE_EXE, type Rates, parseLiteral, readClaudeCodePrices } from '../../support/claude-code-prices.js';

test('the literal parser reads minified data and refuses code', () => {
  assert.deepEqual(parseLiteral('{a:1e5,"b":[!0,!1,null,void 0],c:{d:"x\\u00e9\\"y"},e:.5}').value, { a: 100000, b: [true, false, null, undefined], c: { d: 'xé"y' }, e: 0.5 });
  assert.throws(() => parseLiteral('{a:f()}'), /unexpected token/);
});

test('every model and rate in the installed Claude Code price table is priced the same by TCE', { timeout: 60_000 }, () => {
  assert.ok(fs.existsSync(CLAUDE_EXE), `the Claude Code devDependency is not installed (${CLAUDE_EXE})`);
  const cc = readClaudeCodePrices();
  assert.ok(cc.models.length >= 20, `the catalog lists ${cc.models.length} models`);
  const table = new PriceTable();
  const differences: string[] = [];
  const same = (what: string, tce: unknown, theirs: unknown) => {
    if (JSON.stringify(tce) !== JSON.stringify(theirs)) differences.push(`${what}: TCE ${JSON.stringify(tce)}, Claude Code ${JSON.stringify(theirs)}`);
  };
  const rates = (r: Rates) => [r.input, r.output, r.cache_write_5m, r.cache_write_1h, r.cache_read];
  for (const model of cc.models) {
    const spellings = [model.id, ...Object.values(model.provider_ids).filter((v): v is string => typeof v === 'string')];
    const ids = new Set(spellings.map(normaliseModel));
    same(`${model.id}: every provider spelling is one model`, [...ids], [normaliseModel(model.id)]);
    const id = normaliseModel(model.id);
    const price = table.get(id);
    if (!price) {
      differences.push(`${model.id}: Claude Code prices it, TCE has no price for ${id}`);
      continue;
    }
    const theirs = typeof model.pricing === 'string' ? cc.tiers[model.pricing] : model.pricing;
    assert.ok(theirs, `${model.id}: pricing tier ${String(model.pricing)} is not in the catalog`);
    same(`${model.id} rates`, [price.input, price.output, price.cacheWrite5m, price.cacheWrite1h, price.cacheRead], rates(theirs));
    same(`${model.id} web search`, price.webSearch ?? WEB_SEARCH_USD, theirs.web_search ?? WEB_SEARCH_USD);
    const long = theirs.long_prompt;
    same(
      `${model.id} long-prompt tier`,
      price.longPrompt ? [price.longPrompt.abovePromptTokens, price.longPrompt.input, price.longPrompt.output, price.longPrompt.cacheWrite5m, price.longPrompt.cacheWrite1h, price.longPrompt.cacheRead] : null,
      long ? [long.above_prompt_tokens, ...rates(long)] : null,
    );
    const fast = cc.fast.get(model.id);
    same(
      `${model.id} fast mode`,
      price.fast ? [price.fast.input, price.fast.output, price.fast.cacheWrite5m, price.fast.cacheWrite1h, price.fast.cacheRead] : null,
      fast ? [fast.inputTokens, fast.outputTokens, fast.promptCacheWriteTokens, fast.promptCacheWrite1hTokens, fast.promptCacheReadTokens] : null,
    );
  }
  for (const id of cc.fast.keys()) if (!cc.models.some((m) => m.id === id)) differences.push(`fast-mode rates for ${id}, which the catalog does not list`);
  assert.deepEqual(differences, [], `Claude Code prices these differently:\n${differences.join('\n')}`);
  // What the issue names, so a table that silently lost them cannot pass.
  for (const id of ['claude-opus-5', 'claude-opus-5-5', 'claude-sonnet-5', 'claude-sonnet-5-5', 'claude-haiku-5-5']) assert.ok(cc.models.some((m) => m.id === id), id);
  assert.equal(table.get('claude-haiku-5-5')!.longPrompt!.abovePromptTokens, 100_000);
});
