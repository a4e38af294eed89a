// Makes the Maven repository the Java binding is built with (.cache/m2) know an aws-cdk-lib
// that satisfies the construct's floor. jsii-pacmak's Maven build asks for the range
// [floor,3.0.0), which Maven resolves from Maven Central's version listing; the registry this
// project builds against lists nothing newer than 2.263.0 there and has no jar of the floor
// itself (2.270.0: POM only), though it serves the jar of SEED. Installing that jar into the
// repository lists it locally, so the range resolves to it (docs/decisions/0015). Once the
// listing has a version in range, this changes nothing Maven would pick: SEED is the newest.
//   node tools/maven-seed.mjs <maven repository>
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SEED = { groupId: 'software.amazon.awscdk', artifactId: 'aws-cdk-lib', version: '2.272.0' };

const repo = resolve(process.argv[2] ?? join(import.meta.dirname, '..', '.cache', 'm2'));
const manifest = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'packages', 'constructs', 'package.json'), 'utf8'),
);
const floor = manifest.peerDependencies[SEED.artifactId].replace(/^\^/, '');
const [a, b] = [floor, SEED.version].map((v) => v.split('.').map(Number));
if (a[0] !== b[0] || a[1] > b[1] || (a[1] === b[1] && a[2] > b[2])) {
  throw new Error(`maven-seed: ${SEED.artifactId} ${SEED.version} does not satisfy the floor ^${floor}`);
}

const dir = join(repo, ...SEED.groupId.split('.'), SEED.artifactId);
const listed = join(dir, 'maven-metadata-local.xml');
if (existsSync(listed) && readFileSync(listed, 'utf8').includes(`<version>${SEED.version}</version>`)) {
  process.exit(0);
}
const mvn = (...args) =>
  execFileSync('mvn', ['--batch-mode', '--quiet', `-Dmaven.repo.local=${repo}`, ...args], {
    stdio: 'inherit',
  });
const coordinates = `${SEED.groupId}:${SEED.artifactId}:${SEED.version}`;
mvn('dependency:get', `-Dartifact=${coordinates}`, '-Dtransitive=false');
mvn('dependency:get', `-Dartifact=${coordinates}:pom`, '-Dtransitive=false');
// install-file refuses a file already in place: install from a copy
const copy = mkdtempSync(join(tmpdir(), 'maven-seed-'));
try {
  const base = `${SEED.artifactId}-${SEED.version}`;
  for (const ext of ['jar', 'pom']) copyFileSync(join(dir, SEED.version, `${base}.${ext}`), join(copy, `${base}.${ext}`));
  mvn('install:install-file', `-Dfile=${join(copy, `${base}.jar`)}`, `-DpomFile=${join(copy, `${base}.pom`)}`);
} finally {
  rmSync(copy, { recursive: true, force: true });
}
console.log(`maven-seed: ${coordinates} listed in ${repo}`);
