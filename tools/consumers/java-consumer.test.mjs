// A Java team's CDK app, a Maven project outside the workspace: it depends on the built jar
// (dist/java, a Maven repository) and on aws-cdk-lib from Maven Central, and synthesizes the
// platform with `stage: staging`.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, it } from 'node:test';
import {
  DIST,
  FUNCTION_NAMES,
  ROOT,
  assertSynthesizedPlatform,
  noAwsEnv,
  pinned,
  scratch,
  sh,
  templates,
} from './support.mjs';

/** The Maven repository both the jar's build and this consumer resolve through (kept between runs). */
const MAVEN_REPO = join(ROOT, '.cache', 'm2');

/** The version of `artifactId` the built artifact's POM depends on. */
function builtAgainst({ groupId, artifactId }, version, dependency) {
  const pom = readFileSync(
    join(DIST, 'java', ...groupId.split('.'), artifactId, version, `${artifactId}-${version}.pom`),
    'utf8',
  );
  const found = new RegExp(`<artifactId>${dependency}</artifactId>\\s*<version>([^<]+)</version>`).exec(pom);
  if (!found) throw new Error(`the built POM names no ${dependency} version`);
  return found[1];
}

describe('a Java CDK app that depends on the Maven artifact', () => {
  const dir = scratch('java-consumer-');
  let template;
  let stdout;

  before(() => {
    const { java } = JSON.parse(readFileSync(join(ROOT, 'packages', 'constructs', 'package.json'), 'utf8')).jsii.targets;
    const { version } = JSON.parse(readFileSync(join(ROOT, 'packages', 'constructs', 'package.json'), 'utf8'));
    const values = {
      ARTIFACTS_URL: pathToFileURL(join(DIST, 'java')).href,
      GROUP_ID: java.maven.groupId,
      ARTIFACT_ID: java.maven.artifactId,
      VERSION: version,
      // the aws-cdk-lib the artifact was built against, which its POM names
      AWS_CDK_LIB: builtAgainst(java.maven, version, 'aws-cdk-lib'),
      CONSTRUCTS: pinned('constructs', 'devDependencies', 'constructs'),
    };
    const pom = readFileSync(join(import.meta.dirname, 'java', 'pom.xml'), 'utf8').replace(
      /@([A-Z_]+)@/g,
      (_, name) => values[name],
    );
    writeFileSync(join(dir, 'pom.xml'), pom);
    mkdirSync(join(dir, 'src'));
    cpSync(join(import.meta.dirname, 'java', 'ConsumerApp.java'), join(dir, 'src', 'ConsumerApp.java'));
    // A release is never downloaded twice: drop the cached copy of the artifact under test.
    rmSync(join(MAVEN_REPO, ...java.maven.groupId.split('.'), java.maven.artifactId), {
      recursive: true,
      force: true,
    });
    const mvn = (...args) =>
      sh('mvn', ['--batch-mode', '--quiet', `-Dmaven.repo.local=${MAVEN_REPO}`, ...args], { cwd: dir });
    mvn('compile', 'dependency:build-classpath', '-Dmdep.outputFile=classpath.txt');
    const classpath = `${join(dir, 'target', 'classes')}:${readFileSync(join(dir, 'classpath.txt'), 'utf8').trim()}`;
    const out = join(dir, 'cdk.out');
    stdout = sh('java', ['-cp', classpath, 'ConsumerApp', out], { cwd: dir, env: noAwsEnv() }).stdout;
    template = templates(out).JavaConsumer;
  });

  it('exposes the platform to Java: its functions by name', () => {
    assert.match(stdout, FUNCTION_NAMES);
  });

  it('synthesizes at least five functions with index.mjs bundles and the versioned layer', () => {
    assertSynthesizedPlatform(template, join(dir, 'cdk.out'));
  });
});
