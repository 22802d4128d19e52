import type { Severity } from '../severity';

/**
 * The safe render tree: a small subset of mdast with every URL already classified, so the
 * renderer never has to decide what is safe and never sees an HTML string.
 */
export type RenderNode =
  | { type: 'text'; value: string }
  | { type: 'rawText'; value: string }
  | { type: 'paragraph'; children: RenderNode[] }
  | { type: 'heading'; depth: number; id: string; children: RenderNode[] }
  | { type: 'emphasis' | 'strong' | 'delete'; children: RenderNode[] }
  | { type: 'inlineCode'; value: string }
  | { type: 'code'; lang: string | null; value: string }
  | { type: 'link'; target: LinkTarget; title: string | null; children: RenderNode[] }
  | { type: 'list'; ordered: boolean; start: number | null; children: RenderNode[] }
  | { type: 'listItem'; checked: boolean | null; children: RenderNode[] }
  | { type: 'blockquote'; children: RenderNode[] }
  | { type: 'table'; rows: RenderNode[][][] }
  | { type: 'thematicBreak' }
  | { type: 'break' };

/** Where a link may go: only http(s) leaves the app, relative .md links open another runbook. */
export type LinkTarget =
  | { kind: 'external'; url: string }
  | { kind: 'runbook'; path: string; anchor: string | null }
  | { kind: 'anchor'; anchor: string }
  | { kind: 'blocked'; url: string };

/** A label matcher from front matter, Alertmanager style (`=`, `!=`, `=~`, `!~`). */
export interface LabelMatcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** A fenced code block kept with its step, for the Copy button. */
export interface CodeBlock {
  lang: string | null;
  value: string;
}

/** How a step was written, so the UI can say why something counts as a step. */
export type StepKind = 'task' | 'bullet' | 'numbered' | 'paragraph' | 'code';

/** One thing to do. Ids are stable for one runbook version ("g1.s3.2"). */
export interface Step {
  id: string;
  kind: StepKind;
  /** Plain text of the step without its code and sub-steps, for timelines and reports. */
  text: string;
  /** What to show: the step's own blocks, code included. */
  content: RenderNode[];
  code: CodeBlock[];
  /** The author's tick in a task list (`- [x]`), null for other kinds. */
  checkedInSource: boolean | null;
  substeps: Step[];
}

/** Steps of one procedure; H3/H4 alternatives under a procedure are groups of their own. */
export interface StepGroup {
  id: string;
  /** Heading path, e.g. ["Mitigation", "Option B: roll back"]. */
  titlePath: string[];
  /** Id of the procedure heading this group is an alternative under, or null when it stands alone. */
  alternativeOf: string | null;
  steps: Step[];
}

/** A heading and where it sits, for a table of contents. */
export interface Section {
  id: string;
  depth: number;
  title: string;
  procedure: boolean;
}

/** A non-fatal finding, reported to the user as a code plus params. */
export interface RunbookWarning {
  code: 'frontMatterInvalid' | 'frontMatterToml' | 'matcherInvalid' | 'unclosedFence' | 'rawHtml' | 'noSteps';
  params: Record<string, string | number>;
}

/** A parsed runbook: plain, serializable data. */
export interface Runbook {
  /** Library-relative path with forward slashes, e.g. "kubernetes/KubePodCrashLooping.md". */
  path: string;
  /** Where it was fetched from, for https runbooks. */
  url: string | null;
  title: string;
  aliases: string[];
  matchers: LabelMatcher[];
  severity: Severity | null;
  /** Content hash of the source text; a run keeps the version it started with. */
  version: string;
  sections: Section[];
  groups: StepGroup[];
  tree: RenderNode[];
  warnings: RunbookWarning[];
  /**
   * True for an outline: path, title and front matter only, so a big library is listed and
   * matched at once; sections, steps and text follow when its Markdown has been parsed.
   */
  outline?: true;
}
