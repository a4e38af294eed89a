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
import { readFileSync, readdirSync, statSync } from 'node:fs';
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
  for (const line of mavenAndGo()) console.log(line);
  for (const [project, data] of bumped) {
    console.log(`would release ${project} ${data.currentVersion} -> ${data.newVersion}`);
  }
}

/**
 * What publib-maven and publib-golang would publish from dist/java and dist/go: each Maven
 * artifact with its files, and each Go module with the tag it would get in its repository.
 */
function mavenAndGo() {
  const lines = [];
  for (const pom of walk(join('dist', 'java')).filter((f) => f.endsWith('.pom'))) {
    const dir = join(pom, '..');
    const version = dir.split('/').at(-1);
    const artifactId = dir.split('/').at(-2);
    const groupId = dir.split('/').slice(2, -2).join('.');
    const files = readdirSync(dir).filter((f) => /\.(jar|pom)$/.test(f));
    lines.push(`Maven Central: ${groupId}:${artifactId}:${version} (${files.join(', ')})`);
  }
  for (const mod of walk(join('dist', 'go')).filter((f) => f.endsWith('go.mod'))) {
    const dir = join(mod, '..');
    const path = readFileSync(mod, 'utf8').match(/^module (\S+)/m)[1];
    const version = readFileSync(join(dir, 'version'), 'utf8').trim();
    // github.com/<owner>/<repo> is the repository; the rest is the module's folder in it
    const parts = path.split('/');
    const repo = parts.slice(0, 3).join('/');
    const tag = [...parts.slice(3), `v${version}`].join('/');
    lines.push(`Go: ${path} v${version} (commit to ${repo}, tag ${tag})`);
  }
  for (const registry of ['Maven Central', 'Go']) {
    if (!lines.some((l) => l.startsWith(`${registry}:`))) {
      throw new Error(`nothing for ${registry} in dist/: the construct's ${registry} target was not packaged`);
    }
  }
  return lines;
}

function walk(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
