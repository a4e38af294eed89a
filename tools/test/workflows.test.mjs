// The generated workflows, read as GitHub reads them: pinned actions, no untrusted
// expressions in scripts, least permissions, one deployment per environment, production only
// from main, and every pull request check a projen task that `npx projen test` runs too.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DIR = join(ROOT, '.github', 'workflows');
const files = readdirSync(DIR).filter((f) => f.endsWith('.yml'));
const workflows = Object.fromEntries(
  files.map((f) => [f, parse(readFileSync(join(DIR, f), 'utf8'))]),
);
const text = Object.fromEntries(files.map((f) => [f, readFileSync(join(DIR, f), 'utf8')]));
const steps = (wf) => Object.values(wf.jobs).flatMap((job) => job.steps ?? []);
const tasks = JSON.parse(readFileSync(join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks;

describe('every workflow', () => {
  for (const [file, wf] of Object.entries(workflows)) {
    it(`${file}: pins every action to a full commit SHA, with its version in a comment`, () => {
      for (const step of steps(wf).filter((s) => s.uses)) {
        assert.match(step.uses, /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/, step.uses);
        assert.match(
          text[file],
          new RegExp(`uses: ${step.uses} # v\\d+`),
          `${step.uses} has a version comment`,
        );
      }
    });

    it(`${file}: expands no \${{ }} expression inside a run script`, () => {
      for (const step of steps(wf).filter((s) => s.run)) {
        assert.doesNotMatch(step.run, /\$\{\{/, step.name);
      }
    });

    it(`${file}: checks out without persisting credentials`, () => {
      for (const step of steps(wf).filter((s) => s.uses?.startsWith('actions/checkout@'))) {
        assert.equal(step.with?.['persist-credentials'], false);
      }
    });

    it(`${file}: grants nothing at the top and names each job's permissions`, () => {
      // no workflow-level grant: a job gets exactly what it declares
      assert.equal(wf.permissions, undefined);
      for (const [name, job] of Object.entries(wf.jobs)) {
        assert.ok(
          job.permissions && typeof job.permissions === 'object',
          `${name} has permissions`,
        );
        assert.ok(job['timeout-minutes'] > 0, `${name} has a timeout`);
      }
    });

    it(`${file}: runs Node.js 22 or later`, () => {
      for (const step of steps(wf).filter((s) => s.uses?.startsWith('actions/setup-node@'))) {
        assert.ok(Number(step.with['node-version']) >= 22);
      }
    });
  }
});

describe('pull-request.yml', () => {
  const wf = workflows['pull-request.yml'];

  it('checks the upgrade from the previous release tag, with the history that holds the tags', () => {
    const job = wf.jobs.upgrade;
    assert.equal(
      job.steps.find((s) => s.uses?.startsWith('actions/checkout')).with['fetch-depth'],
      0,
    );
    assert.ok(job.steps.some((s) => s.run === 'bash tools/upgrade-check.sh'));
  });

  it('cancels a superseded run of the same pull request', () => {
    assert.match(wf.concurrency.group, /github\.event\.pull_request\.number/);
    assert.equal(wf.concurrency['cancel-in-progress'], true);
  });

  it('runs only projen tasks that the test task runs too', () => {
    const run = new Set();
    const visit = (name) => {
      if (run.has(name)) return;
      run.add(name);
      for (const s of tasks[name]?.steps ?? []) if (s.spawn) visit(s.spawn);
    };
    visit('test');
    for (const step of wf.jobs.verify.steps.filter((s) => s.run?.startsWith('npx projen '))) {
      const task = step.run.replace('npx projen ', '');
      // test:affected is the pull request's subset of what `nx run-many` runs in `test`
      if (task === 'test:affected') continue;
      assert.ok(run.has(task), `${task} is part of npx projen test`);
    }
  });

  it('gives nx affected the pull request base and head through env, not the script', () => {
    assert.equal(wf.jobs.verify.env.NX_BASE, '${{ github.event.pull_request.base.sha }}');
    assert.equal(wf.jobs.verify.env.NX_HEAD, '${{ github.event.pull_request.head.sha }}');
  });

  it('assumes the diff role only for pull requests from this repository', () => {
    const assume = wf.jobs.diff.steps.find((s) => s.uses?.startsWith('aws-actions/'));
    assert.match(assume.if, /head\.repo\.full_name == github\.repository/);
  });
});

describe('deploy.yml', () => {
  const wf = workflows['deploy.yml'];

  it('builds once, then deploys the same assembly to staging and promotes it to production', () => {
    assert.deepEqual([wf.jobs.staging.needs].flat(), ['build']);
    assert.deepEqual([wf.jobs.production.needs].flat(), ['staging']);
    const upload = wf.jobs.build.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    for (const job of [wf.jobs.staging, wf.jobs.production]) {
      const download = job.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'));
      assert.equal(download.with.name, upload.with.name);
      assert.equal(job.env.CDK_ASSEMBLY, download.with.path);
    }
  });

  it('deploys production only from main, behind its environment, one at a time', () => {
    assert.equal(wf.jobs.production.if, "github.ref == 'refs/heads/main'");
    assert.equal(wf.jobs.production.environment, 'production');
    assert.deepEqual(wf.jobs.production.concurrency, {
      group: 'deploy-production',
      'cancel-in-progress': false,
    });
    assert.deepEqual(wf.jobs.staging.concurrency, {
      group: 'deploy-staging',
      'cancel-in-progress': false,
    });
  });

  it('runs the preflight of the same stage right before each deploy, so a failed check stops it', () => {
    for (const [job, stage] of [
      [wf.jobs.staging, 'staging'],
      [wf.jobs.production, 'prod'],
    ]) {
      const runs = job.steps.map((s) => s.run ?? '');
      const deployAt = runs.indexOf(`npx projen deploy:${stage}`);
      assert.equal(runs[deployAt - 1], `npx projen preflight:${stage}`);
      // a failing step stops the job: nothing lets the deploy run after it
      assert.equal(job.steps[deployAt - 1]['continue-on-error'], undefined);
      assert.equal(job.steps[deployAt].if, undefined);
    }
  });

  it('smoke-tests and notifies after each deploy', () => {
    for (const job of [wf.jobs.staging, wf.jobs.production]) {
      const runs = job.steps.map((s) => s.run ?? '');
      const deployAt = runs.findIndex((r) => r.startsWith('npx projen deploy:'));
      assert.ok(deployAt >= 0);
      assert.match(runs[deployAt + 1], /tools\/smoke-test\.mjs/);
      const notify = job.steps.find((s) => s.run === 'node tools/notify-deployment.mjs');
      assert.equal(notify.if, 'always()');
    }
  });
});

describe('release.yml', () => {
  const wf = workflows['release.yml'];

  it('publishes to npm with provenance and to PyPI, from main only', () => {
    const job = wf.jobs.release;
    assert.equal(job.if, "github.ref == 'refs/heads/main'");
    assert.equal(job.permissions['id-token'], 'write');
    assert.ok(job.steps.some((s) => s.run === 'bash tools/publish-npm.sh dist/js'));
    const pypi = job.steps.find((s) => s.uses?.startsWith('pypa/gh-action-pypi-publish@'));
    assert.equal(pypi.with['packages-dir'], 'dist/python');
    assert.match(
      readFileSync(join(ROOT, 'tools', 'publish-npm.sh'), 'utf8'),
      /npm publish "\$tarball" --provenance/,
    );
  });

  it('publishes the construct to Maven Central (signed) and to its Go repository, with the pinned publib', () => {
    const steps = wf.jobs.release.steps;
    const maven = steps.find((s) => s.run === 'npx publib-maven dist/java');
    assert.equal(maven.env.MAVEN_SERVER_ID, 'central-ossrh');
    for (const secret of ['MAVEN_USERNAME', 'MAVEN_PASSWORD', 'MAVEN_GPG_PRIVATE_KEY', 'MAVEN_GPG_PRIVATE_KEY_PASSPHRASE']) {
      assert.equal(maven.env[secret], `\${{ secrets.${secret} }}`);
    }
    const go = steps.find((s) => s.run === 'npx publib-golang dist/go');
    assert.equal(go.env.GITHUB_TOKEN, '${{ secrets.GO_GITHUB_TOKEN }}');
    // both publish what the packaging step wrote, after npm
    const at = (step) => steps.indexOf(step);
    assert.ok(at(maven) > steps.findIndex((s) => s.run === 'npx projen package'));
    assert.ok(at(go) > at(maven));
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.match(root.devDependencies.publib, /^\d+\.\d+\.\d+$/);
  });
});
