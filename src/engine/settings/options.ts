import { SEVERITIES } from '../report/findings.js'

/**
 * Every option of the scan, defined once: the action's inputs (action.yml is generated from this list)
 * and the command's flags and environment variables (its --help is rendered from it). Descriptions say
 * "the workspace"; the command shows "the current directory" in its place.
 */
/** What an option is about: the command's --help lists the options by group. */
export type OptionGroup = 'target' | 'waiting' | 'rules' | 'outputs' | 'scan configuration'

export interface OptionDefinition {
  name: string
  group: OptionGroup
  description: string
  /** Applied when the option is not given, or given empty (unless `emptyAllowed`). */
  default?: string
  /** The accepted values, when there is a fixed list. */
  values?: readonly string[]
  /** `true` or `false`; the command takes `--name` and `--no-name`. */
  boolean?: boolean
  /** Hidden from everything printed, the moment it is read. */
  secret?: boolean
  /** An empty value means "empty", not "the default" (`token-prefix: ''` sends no prefix). */
  emptyAllowed?: boolean
  /** Its surrounding spaces are part of the value. */
  untrimmed?: boolean
  /** Meaningful on one front end only: GitHub's artifact, summary, annotations and PR comment, say. */
  only?: 'action' | 'command'
  /** The command's placeholder for the value in --help. */
  placeholder?: string
  /** One value a line; the command's flag may be given several times. */
  repeatable?: boolean
  required?: boolean
}

export const OPTIONS: readonly OptionDefinition[] = [
  {
    name: 'webhook',
    group: 'target',
    description:
      'The webhook secret of the scan target, or the whole webhook URL (then the base URL is taken from it). Several targets, scanned side by side: one a line, each `NAME: WEBHOOK` (NAME of letters, digits, `.`, `_`, `-`) or bare (named `target-1`, `target-2`, …). Pass it as a secret; it is masked and never printed.',
    secret: true,
    required: true,
    repeatable: true,
    placeholder: 'SECRET|URL'
  },
  {
    name: 'scan-id',
    group: 'target',
    description:
      'Follow the scan with this id instead of starting one (wait, fetch, judge and publish as usual), such as the scan id an earlier run that did not wait ({wait=false}) gave. With several targets, one `NAME: ID` a line; targets without one start a scan.',
    repeatable: true,
    placeholder: 'ID'
  },
  {
    name: 'max-parallel',
    group: 'target',
    description:
      'How many scans run at once when {webhook} names several targets, for accounts with a concurrency limit; all of them when empty.',
    placeholder: 'COUNT'
  },
  {
    name: 'api-url',
    group: 'target',
    description:
      'Base URL of the webhook API. When empty: with Veracode API credentials, the Veracode DAST Essentials URL of {region}; without, the legacy Crashtest API https://api.crashtest.cloud/webhook. Plain http:// is accepted only for loopback hosts (127.0.0.0/8, ::1, localhost).',
    placeholder: 'URL'
  },
  {
    name: 'veracode-api-id',
    group: 'target',
    description:
      'Veracode API id (Veracode DAST Essentials): every request is then signed with VERACODE-HMAC-SHA-256. Give it together with {veracode-api-key}, as a secret; it is masked and never printed.',
    secret: true,
    placeholder: 'ID'
  },
  {
    name: 'veracode-api-key',
    group: 'target',
    description:
      'Veracode API key belonging to {veracode-api-id}. Pass it as a secret; it is masked and never printed.',
    secret: true,
    placeholder: 'KEY'
  },
  {
    name: 'region',
    group: 'target',
    description:
      "Veracode region of the API credentials, `us` or `eu`; picks the base URL when {api-url} is empty. When empty, taken from the credentials' region prefix (as in `vera01ei-…`), else `us`.",
    values: ['us', 'eu']
  },
  {
    name: 'wait',
    group: 'waiting',
    description:
      '`true` waits for the scan and judges its report; `false` only starts it (result `started`).',
    default: 'true',
    boolean: true
  },
  {
    name: 'timeout',
    group: 'waiting',
    description: 'The longest wait for the scan, in minutes (decimals allowed; at most 7200).',
    default: '240',
    placeholder: 'MINUTES'
  },
  {
    name: 'poll-interval',
    group: 'waiting',
    description: 'Seconds between status requests (1 to 3600).',
    default: '30',
    placeholder: 'SECONDS'
  },
  {
    name: 'request-timeout',
    group: 'waiting',
    description:
      'Seconds to wait for an answer of the webhook API, and the longest pause while the report downloads (1 to 600). A request that takes longer is treated like a dropped connection.',
    default: '30',
    placeholder: 'SECONDS'
  },
  {
    name: 'if-running',
    group: 'waiting',
    description:
      'What to do when the service answers that a scan of this target is already running: `wait` retries the start until it is accepted or {timeout} passes; `fail` ends the run with an error.',
    default: 'wait',
    values: ['wait', 'fail']
  },
  {
    name: 'on-timeout',
    group: 'waiting',
    description: '`fail` or `warn`: what happens when the scan has not finished within {timeout}.',
    default: 'fail',
    values: ['fail', 'warn']
  },
  {
    name: 'report-path',
    group: 'outputs',
    description: 'Where to write the JUnit report, relative to the workspace.',
    default: 'crashtest-report.xml',
    placeholder: 'PATH'
  },
  {
    name: 'upload-artifact',
    group: 'outputs',
    description: 'Upload the report as a workflow artifact.',
    default: 'true',
    boolean: true,
    only: 'action'
  },
  {
    name: 'artifact-name',
    group: 'outputs',
    description: 'Name of the report artifact. Defaults to `crashtest-report-<scan id>`, unique per scan.',
    only: 'action'
  },
  {
    name: 'retention-days',
    group: 'outputs',
    description: "Days to keep the artifact (1 to 90); the repository's setting when empty.",
    only: 'action'
  },
  {
    name: 'fail-on',
    group: 'rules',
    description:
      'Fail when a finding of this severity or worse is present: `critical`, `high`, `medium`, `low`, `info` or `never`.',
    default: 'high',
    values: [...SEVERITIES, 'never']
  },
  {
    name: 'fail-on-scanners',
    group: 'rules',
    description:
      'Fail on any finding of these scanners, whatever its severity: names separated by commas or new lines, each the classname the report gives (`xss.crashtest.cloud`) or its first label (`xss`). Suppressed findings and those the baseline knew do not count. Applies together with {fail-on} and {max-findings}.',
    placeholder: 'NAMES'
  },
  {
    name: 'max-findings',
    group: 'rules',
    description:
      'Per-severity budgets, for example `high=0, medium=5` (commas or new lines). The run fails when a count exceeds its budget. Applies together with {fail-on}.',
    placeholder: 'BUDGETS'
  },
  {
    name: 'suppressions',
    group: 'rules',
    description:
      'Path of a YAML file of accepted findings (relative to the workspace): each entry matches by `fingerprint`, `scanner`, `title` and/or `url`, gives a `reason` and optionally `expires`. Matched findings are not judged by the rules.',
    placeholder: 'PATH'
  },
  {
    name: 'baseline',
    group: 'rules',
    description:
      "Path of an earlier JUnit report of the same target (for example the previous run's, kept by the CI system). Only findings whose fingerprint is not in it are judged by the rules. On GitHub, `auto` takes the report of the same target from the newest successful run of the workflow on the base branch (see {baseline-workflow}, {baseline-branch}).",
    placeholder: 'PATH'
  },
  {
    name: 'baseline-workflow',
    group: 'rules',
    description:
      "With {baseline=auto}: the workflow whose runs are looked at, by file name (`nightly.yml`) or id. Default: the running workflow's file.",
    only: 'action'
  },
  {
    name: 'baseline-branch',
    group: 'rules',
    description:
      "With {baseline=auto}: the branch whose runs are looked at. Default: on a pull request, its base branch; otherwise the repository's default branch.",
    only: 'action'
  },
  {
    name: 'summary',
    group: 'outputs',
    description: 'Write a job summary.',
    default: 'true',
    boolean: true,
    only: 'action'
  },
  {
    name: 'annotations',
    group: 'outputs',
    description: 'Annotate the run with the findings that broke the rules (at most 10).',
    default: 'true',
    boolean: true,
    only: 'action'
  },
  {
    name: 'sarif-path',
    group: 'outputs',
    description:
      'Write the findings as a SARIF 2.1.0 file here, relative to the workspace, for code scanning tools such as `github/codeql-action/upload-sarif`.',
    placeholder: 'PATH'
  },
  {
    name: 'junit-path',
    group: 'outputs',
    description:
      'Write a JUnit report judged by the rules here, relative to the workspace, for the CI system to import as test results: a testcase per finding, failing only when it breaks a rule (unlike the service’s report, where every finding fails), named by title and location so that test history follows a finding.',
    default: 'crashtest-junit.xml',
    placeholder: 'PATH',
    only: 'command'
  },
  {
    name: 'gitlab-report',
    group: 'outputs',
    description:
      'Write the findings as a GitLab DAST security report (schema 15.0) here, relative to the workspace, for `artifacts: reports: dast:`.',
    placeholder: 'PATH',
    only: 'command'
  },
  {
    name: 'pr-comment',
    group: 'outputs',
    description:
      'On `pull_request` and `pull_request_target` events, post the verdict, the counts and the top findings as one comment on the pull request, and update that comment on later runs.',
    default: 'false',
    boolean: true,
    only: 'action'
  },
  {
    name: 'issues',
    group: 'outputs',
    description:
      'Keep a GitHub issue for every finding that breaks the rules: opened when found, closed when a complete scan no longer finds it, reopened when it comes back. Not on pull requests. Needs `issues: write`.',
    default: 'false',
    boolean: true,
    only: 'action'
  },
  {
    name: 'issue-labels',
    group: 'outputs',
    description:
      'With {issues}: the labels of the issues, separated by commas (the first finds them again); `severity:<level>` is added. Made when missing.',
    default: 'dast',
    only: 'action'
  },
  {
    name: 'issue-limit',
    group: 'outputs',
    description:
      'With {issues}: the most issues opened in one run; the summary counts the findings left without one.',
    default: '10',
    only: 'action'
  },
  {
    name: 'github-token',
    group: 'outputs',
    description:
      'Token for the pull-request comment (it needs `pull-requests: write`), for {baseline=auto} (`actions: read`) and for {issues} (`issues: write`). Masked, never printed.',
    // An expression the runner evaluates; it means nothing anywhere else.
    default: '${{ github.token }}',
    secret: true,
    only: 'action'
  },
  {
    name: 'pr-comment-key',
    group: 'outputs',
    description:
      'Tells apart the comments of scans that share a job, such as the legs of a matrix (for example the value of `matrix.target`): each key has its own comment.',
    only: 'action'
  },
  {
    name: 'basic-auth-username',
    group: 'scan configuration',
    description:
      'Scan configuration: the user name of HTTP basic auth in front of the whole target. Give it with {basic-auth-password}.',
    placeholder: 'USER'
  },
  {
    name: 'basic-auth-password',
    group: 'scan configuration',
    description: 'The password of HTTP basic auth (pass it as a secret; it is masked).',
    secret: true,
    placeholder: 'PASSWORD'
  },
  {
    name: 'login-url',
    group: 'scan configuration',
    description:
      "Scan configuration: the URL of the target's login page, for a login form. Give it with {login-username} and {login-password}. Cannot be combined with {api-spec}.",
    placeholder: 'URL'
  },
  {
    name: 'login-username',
    group: 'scan configuration',
    description: 'The user name the scanner enters in the login form.',
    placeholder: 'USER'
  },
  {
    name: 'login-password',
    group: 'scan configuration',
    description: 'The password the scanner enters in the login form (pass it as a secret; it is masked).',
    secret: true,
    placeholder: 'PASSWORD'
  },
  {
    name: 'auth-headers',
    group: 'scan configuration',
    description:
      'Scan configuration: headers sent with every request of the scan, one `Name: value` a line. Values are masked.',
    placeholder: 'HEADERS'
  },
  {
    name: 'api-spec',
    group: 'scan configuration',
    description:
      "Scan configuration: path, relative to the workspace, of a Swagger 2.0 or OpenAPI 3.x document in JSON (`.json`) or YAML, at most 5 MiB. It is sent to the service as the target's API spec.",
    placeholder: 'PATH'
  },
  {
    name: 'token-url',
    group: 'scan configuration',
    description:
      'Login flow: the URL the {token-body} is POSTed to before the scan, for a token that is sent in the {token-header} header with every request of the scan. https:// (http:// only for loopback hosts).',
    placeholder: 'URL'
  },
  {
    name: 'token-body',
    group: 'scan configuration',
    description: 'Login flow: the JSON body of the login request (pass it as a secret; it is masked).',
    secret: true,
    placeholder: 'JSON'
  },
  {
    name: 'token-path',
    group: 'scan configuration',
    description: 'Login flow: where the token is in the JSON answer; dotted paths such as `data.token` work.',
    default: 'access_token',
    placeholder: 'PATH'
  },
  {
    name: 'token-header',
    group: 'scan configuration',
    description: 'Login flow: the header the token is sent in.',
    default: 'Authorization',
    placeholder: 'NAME'
  },
  {
    name: 'token-prefix',
    group: 'scan configuration',
    description: "Login flow: the text before the token in the header value; `''` for none.",
    default: 'Bearer ',
    emptyAllowed: true,
    untrimmed: true,
    placeholder: 'TEXT'
  }
]

const BY_NAME = new Map(OPTIONS.map(option => [option.name, option]))

/** The definition of `name`; a name that is not defined is a programming error. */
/**
 * A description with the options it names (`{fail-on}`, `{wait=false}`) as the front end's user writes
 * them: `words` is the front end's way (action.yml's `` `fail-on` ``, the command's `--fail-on`).
 */
export function describedFor(description: string, words: (name: string, value?: string) => string): string {
  return description.replace(/\{([a-z-]+)(?:=([^}]*))?\}/g, (_, name: string, value?: string) =>
    words(name, value)
  )
}

export function option(name: string): OptionDefinition {
  const found = BY_NAME.get(name)
  if (!found) throw new Error(`No option is defined with the name '${name}'`)
  return found
}

/** The options one front end offers. */
export function optionsOf(frontEnd: 'action' | 'command'): OptionDefinition[] {
  return OPTIONS.filter(definition => definition.only === undefined || definition.only === frontEnd)
}
