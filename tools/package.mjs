// `npx projen package`: writes every publishable artifact to the root dist/:
//   dist/js/<name>-<version>.tgz      the four npm packages (npm pack; the construct's through jsii-pacmak)
//   dist/python/*.whl                 the construct's Python wheel (jsii-pacmak)
//   dist/java/<group>/<artifact>/...  the construct's Maven artifact (jar, sources, javadoc, pom),
//                                     a Maven repository layout (jsii-pacmak)
//   dist/go/<package>/                the construct's Go module (jsii-pacmak)
//   dist/sourcemaps/<package>/...     the handlers' source maps, which no tarball or Lambda
//                                     asset carries, for mapping stack traces offline
// Run from the repository root after the packages are built (the task builds first).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const PACKAGES = ['layer-common', 'functions', 'deploy-hooks'];
const JSII_PACKAGE = 'constructs';

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString();

rmSync('dist', { recursive: true, force: true });
for (const dir of ['dist/js', 'dist/python', 'dist/java', 'dist/go', 'dist/sourcemaps']) mkdirSync(dir, { recursive: true });

for (const pkg of PACKAGES) {
  const out = run('npm', ['pack', '--pack-destination', join('..', '..', 'dist', 'js')], join('packages', pkg));
  console.log(`dist/js/${out.trim().split('\n').pop()}`);
}

// jsii-pacmak packs the construct for npm (npm pack of the same folder), Python, Java and Go.
const jsiiDir = join('packages', JSII_PACKAGE);
rmSync(join(jsiiDir, 'dist'), { recursive: true, force: true });
run('npx', ['projen', 'package-all'], jsiiDir);
const manifest = JSON.parse(readFileSync(join(jsiiDir, 'package.json'), 'utf8'));
const tarballs = readdirSync(join(jsiiDir, 'dist', 'js')).filter((f) => f.endsWith('.tgz'));
if (tarballs.length !== 1) throw new Error(`expected one construct tarball, found ${tarballs.join(', ')}`);
// npm pack's own naming, like the other three
const name = `${manifest.name.replace(/^@/, '').replace('/', '-')}-${manifest.version}.tgz`;
cpSync(join(jsiiDir, 'dist', 'js', tarballs[0]), join('dist', 'js', name));
console.log(`dist/js/${name}`);
for (const file of readdirSync(join(jsiiDir, 'dist', 'python'))) {
  cpSync(join(jsiiDir, 'dist', 'python', file), join('dist', 'python', file));
  console.log(`dist/python/${file}`);
}
for (const target of ['java', 'go']) {
  cpSync(join(jsiiDir, 'dist', target), join('dist', target), { recursive: true });
  for (const file of walk(join('dist', target)).filter((f) => /\.(jar|pom)$|go\.mod$/.test(f))) {
    console.log(file);
  }
}

// Source maps: wherever the build left them (sourcemaps/, or next to the bundles).
let maps = 0;
for (const pkg of PACKAGES) {
  for (const folder of ['sourcemaps', 'dist', 'layer']) {
    const root = join('packages', pkg, folder);
    if (!existsSync(root)) continue;
    for (const file of walk(root).filter((f) => f.endsWith('.map'))) {
      const target = join('dist', 'sourcemaps', pkg, relative(join('packages', pkg), file));
      mkdirSync(join(target, '..'), { recursive: true });
      cpSync(file, target);
      maps += 1;
    }
  }
}
console.log(`dist/sourcemaps: ${maps} source maps`);

function walk(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
