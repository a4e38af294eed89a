// A Python team installs the construct's wheel from dist/python with aws-cdk-lib into a
// virtualenv and synthesizes the platform from a Python CDK app.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import {
  FUNCTION_NAMES,
  ROOT,
  artifact,
  assertSynthesizedPlatform,
  noAwsEnv,
  pinned,
  scratch,
  sh,
  templates,
} from './support.mjs';

// The virtualenv outlives runs (pip is the slow part); it is rebuilt when the pins change.
const VENV = join(ROOT, '.cache', 'python-consumer');
const PYTHON = join(VENV, 'bin', 'python');

const APP = `
import sys
import aws_cdk as cdk
from security_assistant_constructs import SecurityAssistantPlatform

app = cdk.App(outdir=sys.argv[1])
stack = cdk.Stack(app, "PythonConsumer")
platform = SecurityAssistantPlatform(stack, "Platform", stage="staging")
print("functions:", ",".join(sorted(platform.functions.keys())))
app.synth()
`;

describe('a Python CDK app that installs the wheel', () => {
  const dir = scratch('python-consumer-');
  let template;
  let stdout;

  before(() => {
    const cdkLib = pinned('constructs', 'devDependencies', 'aws-cdk-lib');
    const constructs = pinned('constructs', 'devDependencies', 'constructs');
    const pins = `aws-cdk-lib==${cdkLib}\nconstructs==${constructs}\n`;
    const stamp = join(VENV, 'pins.txt');
    if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== pins) {
      sh('python3', ['-m', 'venv', '--clear', VENV]);
      writeFileSync(join(VENV, 'requirements.txt'), pins);
      sh(PYTHON, ['-m', 'pip', 'install', '--quiet', '-r', join(VENV, 'requirements.txt')]);
      writeFileSync(stamp, pins);
    }
    // the wheel under test, always fresh; its own requirements must resolve from PyPI
    const wheel = artifact('python', 'security_assistant_constructs-', '.whl');
    sh(PYTHON, ['-m', 'pip', 'install', '--quiet', '--force-reinstall', '--no-deps', wheel]);
    // ...and its own requirements must resolve from PyPI
    sh(PYTHON, ['-m', 'pip', 'install', '--quiet', wheel]);
    writeFileSync(join(dir, 'app.py'), APP);
    const out = join(dir, 'cdk.out');
    stdout = sh(PYTHON, ['app.py', out], { cwd: dir, env: noAwsEnv() }).stdout;
    template = templates(out).PythonConsumer;
  });

  it('exposes the platform to Python: its functions by name', () => {
    assert.match(stdout, FUNCTION_NAMES);
  });

  it('synthesizes at least five functions with index.mjs bundles and the versioned layer', () => {
    assertSynthesizedPlatform(template, join(dir, 'cdk.out'));
  });
});
