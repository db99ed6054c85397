import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { rulesFor } from '../clouds/rules';
import { DocumentLocator } from './document-locator';
import { compareIssues, formatPipelineIssue, type PipelineIssue } from './pipeline-issue';
import { resolvePipeline, type RulesLookup } from './resolve-pipeline';
import { type ResolvedPipeline } from './resolved-pipeline';
import { checkSchema } from './schema/schema-check';
import { parseYamlDocument } from './yaml-document';

/** A pipeline file, checked: every problem found, and the resolved pipeline when there was none. */
export interface LoadedPipeline {
  /** The file name as given (used in messages). */
  readonly file: string;
  /** Every problem, sorted by line and column. Empty means the file is valid. */
  readonly issues: readonly PipelineIssue[];
  /** The resolved pipeline; present only when `issues` is empty. @default - absent when the file has problems */
  readonly pipeline?: ResolvedPipeline;
}

/** Options of {@link checkPipelineText}. */
export interface CheckPipelineOptions {
  /** The cloud rules to apply. */
  readonly rulesFor: RulesLookup;
}

/**
 * Checks a pipeline's text and reports **every** problem at once, sorted by line: YAML syntax (alone, since nothing
 * else can be checked), the JSON Schema, references between entries, and each cloud's own rules on the specs the
 * file builds. Never throws for bad input.
 */
export function checkPipelineText(text: string, file: string, options: CheckPipelineOptions): LoadedPipeline {
  const parsed = parseYamlDocument(text, file);
  if (!parsed.ok) {
    return {
      file,
      issues: [{ kind: 'syntax', position: parsed.error.position, path: '', value: undefined, rule: `YAML syntax error: ${parsed.error.reason}`, code: 'yaml.syntax' }],
    };
  }
  const locator = new DocumentLocator(parsed.document);
  const schemaIssues = checkSchema(parsed.document.value, locator);
  const resolved = resolvePipeline(parsed.document.value, locator, options.rulesFor);
  const issues = mergeIssues(schemaIssues, resolved.issues);
  return issues.length > 0 ? { file, issues } : { file, issues, pipeline: resolved.pipeline };
}

/** Reads and checks a pipeline file. A file that cannot be read throws (with the file name and the reason). */
export async function loadPipelineFile(file: string, options: CheckPipelineOptions): Promise<LoadedPipeline> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message}`);
  }
  return checkPipelineText(text, file, options);
}

/**
 * Reads and checks a pipeline file with every cloud's rules, synchronously (a CDK app's or a Pulumi program's top
 * level), for a front end that declares the file's resources: the same checks as `imageport validate`.
 *
 * @param file path of the pipeline file
 * @returns the resolved pipeline
 * @throws Error listing every problem, one per line as `file:line:col: path: value rule`, when the file is invalid
 */
export function loadValidPipelineSync(file: string): ResolvedPipeline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read pipeline ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const loaded = checkPipelineText(text, file, { rulesFor });
  if (!loaded.pipeline) {
    throw new Error(`pipeline ${file} is invalid:\n${loaded.issues.map((issue) => `  ${formatPipelineIssue(file, issue)}`).join('\n')}`);
  }
  return loaded.pipeline;
}

/**
 * Merges schema and resolver issues: where a cloud rule and the schema both flag the same field, the cloud rule
 * (which names its source) is kept; a cloud rule on a field whose reference is broken is dropped (the reference
 * error says what to fix); exact duplicates are dropped; the result is sorted by position.
 */
export function mergeIssues(schemaIssues: readonly PipelineIssue[], otherIssues: readonly PipelineIssue[]): PipelineIssue[] {
  const rulePaths = new Set(otherIssues.filter((issue) => issue.kind === 'rule').map((issue) => issue.path));
  const referencePaths = new Set(otherIssues.filter((issue) => issue.kind === 'reference').map((issue) => issue.path));
  const seen = new Set<string>();
  const merged: PipelineIssue[] = [];
  const candidates = [
    ...schemaIssues.filter((issue) => !rulePaths.has(issue.path) || issue.code === 'schema.unknown-field'),
    ...otherIssues.filter((issue) => issue.kind !== 'rule' || !referencePaths.has(issue.path)),
  ];
  for (const issue of candidates) {
    const id = `${issue.path}\u0000${issue.code}\u0000${issue.rule}\u0000${issue.position.line}`;
    if (seen.has(id)) continue;
    seen.add(id);
    merged.push(issue);
  }
  return merged.sort(compareIssues);
}
