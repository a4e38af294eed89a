// A Go team's CDK app, a module outside the workspace: it uses the built Go module (dist/go)
// through a local `replace`, and github.com/aws/aws-cdk-go/awscdk/v2 from the module proxy,
// and synthesizes the platform with `stage: staging`. The Go module and build caches are
// Go's own (GOMODCACHE, GOCACHE), kept between runs.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import {
  DIST,
  FUNCTION_NAMES,
  ROOT,
  assertSynthesizedPlatform,
  noAwsEnv,
  scratch,
  sh,
  templates,
} from './support.mjs';

describe('a Go CDK app that uses the Go module', () => {
  const dir = scratch('go-consumer-');
  let template;
  let stdout;

  before(() => {
    const { go } = JSON.parse(readFileSync(join(ROOT, 'packages', 'constructs', 'package.json'), 'utf8')).jsii.targets;
    const [moduleDir] = readdirSync(join(DIST, 'go'));
    const built = join(DIST, 'go', moduleDir);
    const modulePath = readFileSync(join(built, 'go.mod'), 'utf8').match(/^module (\S+)/m)[1];
    assert.equal(modulePath, `${go.moduleName}/${go.packageName}`);
    // the aws-cdk-go version the built module requires: the consumer asks for the same
    const awscdk = readFileSync(join(built, 'go.mod'), 'utf8').match(/github\.com\/aws\/aws-cdk-go\/awscdk\/v2 (v\S+)/)[1];
    writeFileSync(
      join(dir, 'go.mod'),
      [
        'module example.com/go-consumer',
        '',
        'go 1.25',
        '',
        `require ${modulePath} v0.0.0`,
        `require github.com/aws/aws-cdk-go/awscdk/v2 ${awscdk}`,
        '',
        `replace ${modulePath} => ${built}`,
        '',
      ].join('\n'),
    );
    cpSync(join(import.meta.dirname, 'go', 'main.go'), join(dir, 'main.go'));
    const env = { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };
    sh('go', ['mod', 'tidy'], { cwd: dir, env });
    sh('go', ['build', '-o', 'consumer', '.'], { cwd: dir, env });
    const out = join(dir, 'cdk.out');
    stdout = sh(join(dir, 'consumer'), [out], { cwd: dir, env: noAwsEnv() }).stdout;
    template = templates(out).GoConsumer;
  });

  it('exposes the platform to Go: its functions by name', () => {
    assert.match(stdout, FUNCTION_NAMES);
  });

  it('synthesizes at least five functions with index.mjs bundles and the versioned layer', () => {
    assertSynthesizedPlatform(template, join(dir, 'cdk.out'));
  });
});
