import * as core from '@actions/core'
import { createReadStream } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { errorClause } from '../engine/api/errors.js'
import type { Baseline } from '../engine/policy/baseline.js'
import { parseJunitReport } from '../engine/report/junit.js'
import type { Settings } from '../engine/settings/settings.js'
import type { ActionSettings } from './action-inputs.js'
import { PULL_REQUEST_EVENTS, repositoryApi, runUrl, type RepositoryApi } from './github.js'

// The action's artifacts when `artifact-name` is left to its default: `crashtest-report-<scan id>`.
const DEFAULT_ARTIFACT = /^crashtest-report(?:-|$)/

type Env = Record<string, string | undefined>

interface EarlierRun {
  id: number
  url: string
}

/** A lookup that cannot go on: the notice says which step failed and what to do about it. */
class NoBaseline extends Error {}

/**
 * `baseline: auto`: each target's report from the newest successful run of the workflow on the base
 * branch, downloaded from that run's artifact. Never throws: when there is no such run or report, a
 * notice says why and what to do, and the targets are judged without a baseline.
 */
export async function findBaselines(
  settings: Settings,
  action: ActionSettings,
  env: Env = process.env
): Promise<Map<string, Baseline>> {
  const baselines = new Map<string, Baseline>()
  const folder = await mkdtemp(join(tmpdir(), 'crashtest-baseline-'))
  try {
    const api = await repositoryApi(action.githubToken, env)
    const run = await earlierRun(api, action, env)
    const downloaded = await downloadReports(api, action, run, folder)
    for (const target of settings.targets) {
      const file = reportFileOf(target.reportPath, downloaded, settings.targets.length)
      if (!file) {
        core.notice(
          `No baseline for ${target.name}: the artifact of run ${run.id} has no ${basename(target.reportPath)}. Every finding of ${target.name} is judged.`,
          { title: 'Crashtest: no baseline' }
        )
        continue
      }
      try {
        const report = await parseJunitReport(createReadStream(join(folder, file)))
        baselines.set(target.name, {
          file,
          findings: report.findings,
          run: { id: String(run.id), url: run.url }
        })
      } catch (error) {
        core.notice(
          `No baseline for ${target.name}: ${file} of run ${run.id} cannot be read as a JUnit report (${errorClause(error)}). Every finding of ${target.name} is judged.`,
          { title: 'Crashtest: no baseline' }
        )
      }
    }
    if (baselines.size > 0) core.info(`Baseline: the reports of run ${run.id} (${run.url}).`)
  } catch (error) {
    if (!(error instanceof NoBaseline)) throw error
    core.notice(`No baseline: ${error.message} Every finding is judged.`, { title: 'Crashtest: no baseline' })
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
  return baselines
}

/** The newest run that succeeded of the workflow on the branch, other than this one. */
async function earlierRun(api: RepositoryApi, action: ActionSettings, env: Env): Promise<EarlierRun> {
  const { context, octokit, owner, repo } = api
  const workflow = action.baselineRuns.workflow || workflowFile(env)
  if (!workflow) {
    throw new NoBaseline(
      "the running workflow's file is not known (GITHUB_WORKFLOW_REF is not set): set 'baseline-workflow'."
    )
  }
  const payload = context.payload as {
    pull_request?: { base?: { ref?: string } }
    repository?: { default_branch?: string }
  }
  const branch =
    action.baselineRuns.branch ||
    (PULL_REQUEST_EVENTS.has(context.eventName)
      ? payload.pull_request?.base?.ref
      : payload.repository?.default_branch)
  if (!branch) {
    throw new NoBaseline("the base branch is not known from the event: set 'baseline-branch'.")
  }
  const { data } = await octokit.rest.actions
    .listWorkflowRuns({ owner, repo, workflow_id: workflow, branch, status: 'success', per_page: 20 })
    .catch((error: unknown) => {
      throw new NoBaseline(apiProblem(error, `the runs of ${workflow} cannot be listed`))
    })
  const current = Number(env.GITHUB_RUN_ID)
  // Only a run that succeeded: a failed gate's findings must never become accepted by the next run.
  const earlier = data.workflow_runs.find(run => run.id !== current && run.conclusion === 'success')
  if (!earlier) {
    throw new NoBaseline(
      `no run of ${workflow} on ${branch} has succeeded yet. The first run that passes becomes the baseline of the next ones.`
    )
  }
  return { id: earlier.id, url: runUrl(env, String(earlier.id)) ?? earlier.html_url }
}

/** The run's report artifact, downloaded into `folder` with the artifact client; the files it holds. */
async function downloadReports(
  { octokit, owner, repo }: RepositoryApi,
  action: ActionSettings,
  run: EarlierRun,
  folder: string
): Promise<string[]> {
  const { data } = await octokit.rest.actions
    .listWorkflowRunArtifacts({ owner, repo, run_id: run.id, per_page: 100 })
    .catch((error: unknown) => {
      throw new NoBaseline(apiProblem(error, `the artifacts of run ${run.id} cannot be listed`))
    })
  const name = action.artifact.name
  const ours = data.artifacts.filter(artifact =>
    name ? artifact.name === name : DEFAULT_ARTIFACT.test(artifact.name)
  )
  const expired = `the report artifact of run ${run.id} (${run.url}) has expired. Keep it longer with 'retention-days', or run the workflow again to make a new baseline.`
  const artifact = ours.find(candidate => !candidate.expired)
  if (!artifact) {
    throw new NoBaseline(
      ours.length > 0
        ? expired
        : `run ${run.id} (${run.url}) has no report artifact${name ? ` named ${name}` : ''}: it must upload its report ('upload-artifact: true', the same 'artifact-name').`
    )
  }
  const { DefaultArtifactClient } = await import('@actions/artifact')
  await new DefaultArtifactClient()
    .downloadArtifact(artifact.id, {
      path: folder,
      findBy: {
        token: action.githubToken,
        workflowRunId: run.id,
        repositoryOwner: owner,
        repositoryName: repo
      }
    })
    .catch((error: unknown) => {
      // GitHub answers 410 Gone for an artifact that expired since it was listed; the client keeps only
      // the message.
      if (/\bexpired\b/i.test(errorClause(error))) throw new NoBaseline(expired)
      throw new NoBaseline(
        `the report artifact of run ${run.id} cannot be downloaded (${errorClause(error)}).`
      )
    })
  return readdir(folder)
}

/**
 * The target's report among the downloaded files: the file of its report's name
 * (`crashtest-report-NAME.xml` with several targets); with one target, the run's one report too.
 */
function reportFileOf(reportPath: string, files: string[], targets: number): string | undefined {
  const name = basename(reportPath)
  if (files.includes(name)) return name
  const reports = files.filter(file => file.endsWith('.xml'))
  return targets === 1 && reports.length === 1 ? reports[0] : undefined
}

/** The running workflow's file, from `owner/repo/.github/workflows/<file>@<ref>`. */
function workflowFile(env: Env): string | undefined {
  return /\/\.github\/workflows\/([^@/]+)@/.exec(env.GITHUB_WORKFLOW_REF ?? '')?.[1]
}

/** Why the API refused, and what to do: the usual causes have a remedy. */
function apiProblem(error: unknown, what: string): string {
  const status = (error as { status?: unknown }).status
  if (status === 403) {
    return `${what}: the token may not read the repository's Actions (HTTP 403). Grant the job \`permissions: actions: read\`.`
  }
  if (status === 404) {
    return `${what} (HTTP 404): check 'baseline-workflow'; a GitHub Enterprise Server without the Actions API cannot give a baseline.`
  }
  return `${what} (${errorClause(error)}).`
}
