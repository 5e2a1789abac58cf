// UTF-8 to string with WHATWG "replacement" semantics: every invalid, overlong, surrogate or truncated
// sequence becomes one U+FFFD per maximal bad subpart. That is exactly what the Encoding Standard's
// TextDecoder does, and every runtime this package targets (browsers, Node, Deno, Bun) has it; the ES
// library that this package's tsconfig uses does not declare it, hence the local declaration.
declare const TextDecoder: new () => { decode(bytes: Uint8Array): string };

const UTF8 = new TextDecoder();

export const decodeUtf8 = (bytes: Uint8Array): string => UTF8.decode(bytes);
