import { describe, expect, it } from 'vitest';
import { contentTypeFor, DEFAULT_CONTENT_TYPE } from './content-type.js';

describe('contentTypeFor', () => {
  it('serves the page and the name tables as UTF-8 text', () => {
    expect(contentTypeFor('/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('names.JSON')).toBe('application/json; charset=utf-8');
  });

  it('falls back to octet-stream for unknown or missing extensions', () => {
    expect(contentTypeFor('/blob.bin')).toBe(DEFAULT_CONTENT_TYPE);
    expect(contentTypeFor('/a.dir/README')).toBe(DEFAULT_CONTENT_TYPE);
  });
});
