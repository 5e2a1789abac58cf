// Helpers for tests in any package (Node only): golden fixtures and the shared real-world data.
export * from './fixtures.js';
export * from './shared-data.js';
