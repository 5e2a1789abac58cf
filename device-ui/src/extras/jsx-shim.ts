// Stands in for preact/jsx-runtime inside extras.js so its JSX renders with the page's Preact.
import type { ComponentChildren } from 'preact';
import { A } from './api.ts';

type Jsx = (type: unknown, props: unknown, key?: unknown) => unknown;
export const jsx: Jsx = (type, props, key) => (A.jsx as Jsx)(type, props, key);
export const jsxs = jsx;
export const Fragment = (p: { children?: ComponentChildren }) => p.children;
