// Writes API.md of the jsii package in the current directory with jsii-docgen. jsii-docgen
// looks for the assemblies of dependencies under the package folder, but a workspace hoists
// them to the root node_modules: give it a folder that links the package and the assemblies
// it references (its peer dependencies), nothing else to scan.
import { Documentation, Language } from 'jsii-docgen';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const require = createRequire(join(process.cwd(), 'package.json'));
const scratch = mkdtempSync(join(tmpdir(), 'docgen-'));
try {
  symlinkSync(process.cwd(), join(scratch, 'package'), 'dir');
  for (const dep of Object.keys(manifest.peerDependencies ?? {})) {
    const target = join(scratch, 'node_modules', dep);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(realpathSync(dirname(require.resolve(`${dep}/package.json`))), target, 'dir');
  }
  const docs = await Documentation.forAssembly(manifest.name, scratch);
  const markdown = await docs.toMarkdown({ language: Language.TYPESCRIPT, readme: false });
  writeFileSync('API.md', markdown.render());
  console.log(`API.md written for ${manifest.name}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
