// A tiny Vite plugin: inline every emitted JS chunk and CSS file into index.html so the build is one
// self-contained file (the Nano serves exactly one gzipped asset). Other assets (names.json) stay apart.
import type { Plugin } from 'vite';

/** `</script` inside inlined code would end the element early; `<\/script` means the same to JS. */
const safeJs = (code: string): string => code.replace(/<\/(script)/gi, '<\\/$1');

export function inlineAll(): Plugin {
  return {
    name: 'bleshark-inline',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = Object.values(bundle).find((f) => f.type === 'asset' && f.fileName.endsWith('.html'));
      if (html?.type !== 'asset') return;
      let page = String(html.source);
      for (const [name, file] of Object.entries(bundle)) {
        if (file.type === 'chunk') {
          const tag = new RegExp(
            `\\s*<script[^>]*src="[^"]*/${name.replace(/[.$]/g, '\\$&')}"[^>]*></script>\\s*`,
          );
          if (!tag.test(page)) continue;
          page = page.replace(tag, '');
          // Run after the body is parsed, like a module script would.
          page = page.replace(
            '</body>',
            () => `<script type="module">${safeJs(file.code.trim())}</script></body>`,
          );
          delete bundle[name];
        } else if (name.endsWith('.css')) {
          const tag = new RegExp(`\\s*<link[^>]*href="[^"]*/${name.replace(/[.$]/g, '\\$&')}"[^>]*>\\s*`);
          if (!tag.test(page)) continue;
          page = page.replace(tag, '').replace(
            '</head>',
            () =>
              `<style>${String(file.source)
                .replace(/\/\*\$vite\$:\d+\*\/\s*$/, '')
                .trim()}</style></head>`,
          );
          delete bundle[name];
        }
      }
      html.source = page;
    },
  };
}
