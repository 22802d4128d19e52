import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it, vi } from 'vitest';
import { parseRunbook } from '../../../../src/core/runbooks/parse';
import { RunbookView } from '../../../../src/renderer/features/runbooks/runbook-view';
import { setupI18n } from '../../../../src/renderer/i18n';

const FIX = path.resolve(__dirname, '../../../fixtures/runbooks');
const load = (rel: string) => parseRunbook(readFileSync(path.join(FIX, rel), 'utf8'), { path: rel });

function show(rel: string, lang = 'en') {
  const handlers = { onOpenExternal: vi.fn(), onOpenRunbook: vi.fn(), onCopy: vi.fn() };
  const view = render(
    <I18nextProvider i18n={setupI18n(lang)}>
      <RunbookView runbook={load(rel)} handlers={handlers} />
    </I18nextProvider>,
  );
  return { ...view, handlers };
}

declare global {
  interface Window {
    __pwned?: boolean;
  }
}

describe('a malicious runbook', () => {
  it('creates no script, iframe, image or event-handler attribute, and nothing runs', () => {
    const { container } = show('hostile/malicious.md');
    expect(container.querySelectorAll('script, iframe, img, object, embed, svg, style, form, meta, link, base')).toHaveLength(0);
    const withHandlers = [...container.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name)));
    expect(withHandlers).toEqual([]);
    expect(window.__pwned).toBeUndefined();
    // the raw HTML is visible as text, so the engineer sees what the file contains
    expect(container.textContent).toContain('<script>window.__pwned = true</script>');
    expect(container.textContent).toContain('<iframe src="https://evil.example/"></iframe>');
  });

  it('gives javascript: and data: links no href and does not open them', () => {
    const { container, handlers } = show('hostile/malicious.md');
    for (const a of container.querySelectorAll('a')) expect(a.getAttribute('href')).toMatch(/^(https:\/\/|#)/);
    const blocked = [...container.querySelectorAll('.rb-link-blocked')];
    expect(blocked.map((b) => b.textContent)).toEqual(['here', 'this', 'that', 'the payload', 'pixel']);
    for (const b of blocked) {
      expect(b.tagName).toBe('SPAN');
      fireEvent.click(b);
    }
    expect(handlers.onOpenExternal).not.toHaveBeenCalled();
    expect(window.__pwned).toBeUndefined();
  });

  it('routes http(s) links to the browser and relative .md links to the app', () => {
    const { handlers } = show('hostile/malicious.md');
    fireEvent.click(screen.getByRole('link', { name: 'real docs' }));
    expect(handlers.onOpenExternal).toHaveBeenCalledWith('https://docs.example.com/runbooks');
    fireEvent.click(screen.getByRole('link', { name: 'sibling runbook' }));
    expect(handlers.onOpenRunbook).toHaveBeenCalledWith('hostile/other.md', null);
  });

  it('copies code as text, script tags included, without running it', () => {
    const { handlers } = show('hostile/malicious.md');
    fireEvent.click(screen.getByRole('button', { name: 'Copy code' }));
    expect(handlers.onCopy).toHaveBeenCalledWith('<script>alert("in code")</script>');
  });

  it('prefixes heading ids so a runbook cannot clobber globals', () => {
    const rb = parseRunbook('# location\n\n## cookie\n', { path: 'x.md' });
    const { container } = render(
      <I18nextProvider i18n={setupI18n('en')}>
        <RunbookView runbook={rb} handlers={{ onOpenExternal: vi.fn(), onOpenRunbook: vi.fn(), onCopy: vi.fn() }} />
      </I18nextProvider>,
    );
    expect([...container.querySelectorAll('[id]')].map((e) => e.id)).toEqual(['rb-location', 'rb-cookie']);
  });
});

describe('an ordinary runbook', () => {
  it('shows parse warnings in the chosen language', () => {
    show('broken/unclosed-fence.md', 'de');
    expect(screen.getByRole('list', { name: 'warnings' }).textContent).toContain('Der Codeblock ab Zeile 7 wird nie geschlossen');
  });

  it('renders task lists as read-only checkboxes and every code block with a Copy button', () => {
    const { container } = show('kubernetes/KubePodCrashLooping.md');
    expect(within(container).getAllByRole('button', { name: 'Copy code' })).toHaveLength(3);
    const shift = show('shift/shift-start.md');
    const boxes = within(shift.container).getAllByRole('checkbox');
    expect(boxes).toHaveLength(9);
    expect(boxes.every((b) => (b as HTMLInputElement).disabled)).toBe(true);
  });
});

describe('a runbook listed from its outline, before its Markdown is parsed', () => {
  it('says it is being read instead of showing an empty runbook', async () => {
    const { outlineRunbook } = await import('../../../../src/core/runbooks/library');
    const outline = outlineRunbook({ path: 'disk.md', text: '# Disk full\n\n- [ ] Free space\n' });
    render(
      <I18nextProvider i18n={setupI18n('de')}>
        <RunbookView runbook={outline} handlers={{ onOpenExternal: vi.fn(), onOpenRunbook: vi.fn(), onCopy: vi.fn() }} />
      </I18nextProvider>,
    );
    const article = screen.getByRole('article', { name: 'Disk full' });
    expect(article.getAttribute('aria-busy')).toBe('true');
    expect(article.textContent).toBe('Dieses Runbook wird gelesen…');
  });
});
