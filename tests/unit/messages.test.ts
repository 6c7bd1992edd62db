import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_CHARS, parseBackgroundRequest, parseContentMessage } from '@/lib/messages';

describe('runtime message schemas', () => {
  it('accepts exactly the requests extension pages send', () => {
    expect(parseBackgroundRequest({ type: 'get-visit', tabId: 4 })).toEqual({ type: 'get-visit', tabId: 4 });
    expect(parseBackgroundRequest({ type: 'get-status' })).toEqual({ type: 'get-status' });
    expect(parseBackgroundRequest({ type: 'set-authority', tabId: 1, value: null })).toEqual({
      type: 'set-authority',
      tabId: 1,
      value: null,
    });
  });

  it('drops forged, extended or malformed requests', () => {
    for (const bad of [
      null,
      'get-visit',
      { type: 'get-visit' },
      { type: 'get-visit', tabId: -1 },
      { type: 'get-visit', tabId: 1.5 },
      { type: 'get-visit', tabId: '4' },
      { type: 'get-visit', tabId: 4, extra: true },
      { type: 'set-authority', tabId: 1, value: 'yes' },
      { type: 'page-facts', facts: {} },
      { type: 'delete-everything' },
      { __proto__: { type: 'get-status' } },
    ])
      expect(parseBackgroundRequest(bad), JSON.stringify(bad)).toBeNull();
  });

  it('content scripts may only send facts, interactions and that the page has loaded (nothing naming a file); oversized messages are dropped unread', () => {
    expect(parseContentMessage({ type: 'page-interaction', at: 1 })?.type).toBe('page-interaction');
    expect(parseContentMessage({ type: 'page-interaction', at: Number.NaN })).toBeNull();
    expect(parseContentMessage({ type: 'page-loaded' })?.type).toBe('page-loaded');
    expect(parseContentMessage({ type: 'page-loaded', files: ['x.js'] })).toBeNull();
    expect(parseContentMessage({ type: 'get-visit', tabId: 1 })).toBeNull();
    expect(parseContentMessage({ type: 'page-facts', facts: { x: 'a'.repeat(MAX_MESSAGE_CHARS) } })).toBeNull();
    const cyclic: Record<string, unknown> = { type: 'page-facts' };
    cyclic.facts = cyclic;
    expect(parseContentMessage(cyclic)).toBeNull();
  });
});
