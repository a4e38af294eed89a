// Versions the published packages, writes their changelogs, commits, tags and pushes, and
// creates a GitHub release per package (nx release, configured in nx.json). Between versioning
// and the changelog commit, `npx projen` re-synthesizes, so the release commit holds exactly
// what .projenrc.ts renders for the new versions.
//
//   node tools/release.mjs --dry-run     what a release would do, and what it would publish
//   node tools/release.mjs               the real thing (the release workflow, with GITHUB_TOKEN)
//
// RELEASE_SPECIFIER: patch | minor | major | an exact version; empty for conventional commits.
// RELEASE_FIRST=true: the first release (no earlier tags to compare with).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { releaseChangelog, releaseVersion } from 'nx/release/index.js';

const dryRun = process.argv.includes('--dry-run');
const specifier = process.env.RELEASE_SPECIFIER || undefined;
const firstRelease = process.env.RELEASE_FIRST === 'true';
const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });

const { workspaceVersion, projectsVersionData } = await releaseVersion({
  specifier,
  dryRun,
  firstRelease,
  verbose: false,
});
const bumped = Object.entries(projectsVersionData).filter(([, d]) => d.newVersion);
if (bumped.length === 0) {
  console.log('release: no package has changes to release');
  process.exit(0);
}
if (!dryRun) run('npx', ['projen']);
await releaseChangelog({
  versionData: projectsVersionData,
  version: workspaceVersion,
  dryRun,
  firstRelease,
  gitCommitMessage: `chore(release): ${bumped.map(([p, d]) => `${p}@${d.newVersion}`).join(', ')}`,
  // a dry run has no GitHub remote to preview releases against; it shows the entries above
  ...(dryRun ? { createRelease: false, gitPush: false } : {}),
});

if (dryRun) {
  // What the workflow would publish: the packed artifacts of the current versions.
  run('npx', ['projen', 'package']);
  for (const tarball of readdirSync(join('dist', 'js'))) {
    run('npm', ['publish', join('dist', 'js', tarball), '--dry-run', '--access', 'public']);
  }
  console.log(`PyPI: ${readdirSync(join('dist', 'python')).join(', ')}`);
  for (const [project, data] of bumped) {
    console.log(`would release ${project} ${data.currentVersion} -> ${data.newVersion}`);
  }
}
