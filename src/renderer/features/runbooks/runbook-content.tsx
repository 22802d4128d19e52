import type { MouseEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkTarget, RenderNode } from '../../../core/runbooks/model';
import './runbooks.css';

/** What a runbook may ask the app to do; the app decides, the Markdown never does. */
export interface RunbookHandlers {
  /** An http(s) link was clicked: main opens it in the system browser. */
  onOpenExternal: (url: string) => void;
  /** A relative link to another runbook (library path) was clicked. */
  onOpenRunbook: (path: string, anchor: string | null) => void;
  /** A Copy button on a code block was clicked. */
  onCopy: (text: string) => void;
}

// Heading ids are prefixed so a runbook cannot clobber window or document properties by id.
const anchorId = (id: string) => `rb-${id}`;

function Link({ target, title, children, h }: { target: LinkTarget; title: string | null; children: ReactNode; h: RunbookHandlers }) {
  const { t } = useTranslation();
  const click = (fn: () => void) => (e: MouseEvent) => {
    e.preventDefault();
    fn();
  };
  switch (target.kind) {
    case 'external':
      return (
        <a className="rb-link" href={target.url} title={title ?? t('runbooks.view.openExternal', { url: target.url })} rel="noreferrer noopener" onClick={click(() => h.onOpenExternal(target.url))}>
          {children}
        </a>
      );
    case 'runbook':
      return (
        <a className="rb-link rb-link-internal" href={`#${anchorId(target.path)}`} title={title ?? t('runbooks.view.openRunbook', { path: target.path })} onClick={click(() => h.onOpenRunbook(target.path, target.anchor))}>
          {children}
        </a>
      );
    case 'anchor':
      return (
        <a className="rb-link" href={`#${anchorId(target.anchor)}`} onClick={click(() => document.getElementById(anchorId(target.anchor))?.scrollIntoView())}>
          {children}
        </a>
      );
    case 'blocked':
      return (
        <span className="rb-link-blocked" title={t('runbooks.view.blockedLink')} data-url={target.url}>
          {children}
        </span>
      );
  }
}

/** A fenced code block with its Copy button. */
export function CodeBlockView({ lang, value, onCopy }: { lang: string | null; value: string; onCopy: (text: string) => void }) {
  const { t } = useTranslation();
  return (
    <div className="rb-code">
      <pre data-lang={lang ?? undefined}>
        <code>{value}</code>
      </pre>
      <button type="button" className="rb-copy" aria-label={t('runbooks.view.copyCode')} onClick={() => onCopy(value)}>
        {t('runbooks.view.copy')}
      </button>
    </div>
  );
}

function Node({ node, h }: { node: RenderNode; h: RunbookHandlers }): ReactNode {
  const kids = (nodes: RenderNode[]) => nodes.map((n, i) => <Node key={i} node={n} h={h} />);
  switch (node.type) {
    case 'text':
      return node.value;
    case 'rawText':
      return <span className="rb-raw">{node.value}</span>;
    case 'paragraph':
      return <p>{kids(node.children)}</p>;
    case 'heading': {
      const Tag = `h${Math.min(6, Math.max(1, node.depth))}` as 'h1';
      return <Tag id={anchorId(node.id)}>{kids(node.children)}</Tag>;
    }
    case 'emphasis':
      return <em>{kids(node.children)}</em>;
    case 'strong':
      return <strong>{kids(node.children)}</strong>;
    case 'delete':
      return <del>{kids(node.children)}</del>;
    case 'inlineCode':
      return <code>{node.value}</code>;
    case 'code':
      return <CodeBlockView lang={node.lang} value={node.value} onCopy={h.onCopy} />;
    case 'link':
      return (
        <Link target={node.target} title={node.title} h={h}>
          {kids(node.children)}
        </Link>
      );
    case 'list':
      return node.ordered ? <ol start={node.start ?? undefined}>{kids(node.children)}</ol> : <ul>{kids(node.children)}</ul>;
    case 'listItem':
      return (
        <li>
          {node.checked !== null && <input type="checkbox" checked={node.checked} readOnly disabled />}
          {kids(node.children)}
        </li>
      );
    case 'blockquote':
      return <blockquote>{kids(node.children)}</blockquote>;
    case 'table':
      return (
        <table className="rb-table">
          <tbody>
            {node.rows.map((row, r) => (
              <tr key={r}>
                {row.map((cell, c) => (r === 0 ? <th key={c}>{kids(cell)}</th> : <td key={c}>{kids(cell)}</td>))}
              </tr>
            ))}
          </tbody>
        </table>
      );
    case 'thematicBreak':
      return <hr />;
    case 'break':
      return <br />;
  }
}

/**
 * Renders the parser's safe tree with React elements only: no HTML strings, no
 * dangerouslySetInnerHTML, raw HTML shown as text, links routed through the handlers.
 */
export function RunbookContent({ nodes, handlers }: { nodes: readonly RenderNode[]; handlers: RunbookHandlers }) {
  return (
    <>
      {nodes.map((n, i) => (
        <Node key={i} node={n} h={handlers} />
      ))}
    </>
  );
}
