import { JsonFile, javascript } from 'projen';

/** Everything a package's build writes; never an input of any target. */
const BUILD_OUTPUTS = ['lib', 'dist', 'layer', 'cdk.out', 'coverage'];

/**
 * nx.json: cached build/test/lint targets, dependency-ordered builds and inputs that
 * ignore build outputs, so a no-change run is served from the local cache and
 * `nx affected` touches only the packages a change reaches.
 */
export function addNx(root: javascript.NodeProject, published: javascript.NodeProject[]): void {
  new JsonFile(root, 'nx.json', {
    obj: {
      $schema: './node_modules/nx/schemas/nx-schema.json',
      defaultBase: 'main',
      neverConnectToCloud: true,
      // Keep the cache with the checkout (nx 23 defaults to one per user under ~/.nx), so a
      // fresh clone builds and tests for real.
      cacheDirectory: '.nx/cache',
      useDaemonProcess: false,
      tui: { enabled: false },
      namedInputs: {
        sharedGlobals: [
          '{workspaceRoot}/tools/**/*',
          '{workspaceRoot}/requirements-dev.txt',
          '{workspaceRoot}/.prettierrc.json',
        ],
        default: [
          '{projectRoot}/**/*',
          'sharedGlobals',
          ...BUILD_OUTPUTS.map((o) => `!{projectRoot}/${o}/**/*`),
        ],
        production: [
          'default',
          '!{projectRoot}/test/**/*',
          '!{projectRoot}/.eslintrc.json',
          '!{projectRoot}/.prettierrc.json',
          '!{projectRoot}/.prettierignore',
        ],
      },
      // Releases (docs/decisions/0006): independent semver per published package from
      // conventional commits (or an explicit bump), a CHANGELOG.md per package, tags
      // `<package>@<version>` and a GitHub release each. Publishing is the release workflow's.
      release: {
        projects: published.map((p) => p.package.packageName),
        projectsRelationship: 'independent',
        releaseTag: { pattern: '{projectName}@{version}' },
        version: {
          conventionalCommits: true,
          fallbackCurrentVersionResolver: 'disk',
          // layer-common's semver is the layer version: a bump must not rewrite the ranges
          // the handler packages declare while the new version still satisfies them.
          preserveMatchingDependencyRanges: true,
          updateDependents: 'never',
          git: { commit: false, tag: false },
        },
        changelog: {
          workspaceChangelog: false,
          projectChangelogs: { createRelease: 'github', file: '{projectRoot}/CHANGELOG.md' },
          git: {
            commit: true,
            tag: true,
            push: true,
            commitMessage: 'chore(release): publish {projectName} {version}',
          },
        },
      },
      targetDefaults: {
        build: { dependsOn: ['^build'], inputs: ['production', '^production'], cache: true },
        test: { dependsOn: ['build'], inputs: ['default', '^production'], cache: true },
        lint: { inputs: ['default'], cache: true },
      },
    },
  });
  root.gitignore.exclude('.nx/');
}
