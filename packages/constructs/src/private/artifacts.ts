import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Construct } from 'constructs';

/**
 * Context key mapping a package name to the directory to use instead of the installed
 * package. Internal: only tests use it, to point a package at a folder without artifacts.
 */
export const PACKAGE_DIRS_CONTEXT = '@security-assistant/constructs:packageDirs';

/** An installed workspace package whose built artifacts the construct deploys. */
export interface ArtifactPackage {
  readonly name: string;
  readonly dir: string;
  readonly version: string;
}

/**
 * Finds an installed package the way a consumer of the published construct would: through
 * its package.json, never its TypeScript sources.
 */
export function locatePackage(scope: Construct, name: string): ArtifactPackage {
  const overrides = scope.node.tryGetContext(PACKAGE_DIRS_CONTEXT) as
    Record<string, string> | undefined;
  const dir = overrides?.[name] ?? dirname(require.resolve(`${name}/package.json`));
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) {
    throw new Error(`${name} has no package.json in ${dir}`);
  }
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { name, dir, version };
}

/** Whether the package has built the given artifact folder. */
export function hasArtifact(pkg: ArtifactPackage, folder: string): boolean {
  return existsSync(join(pkg.dir, folder));
}

/** The absolute path of a built artifact folder, or a readable error saying what to build. */
export function artifactPath(pkg: ArtifactPackage, folder: string): string {
  const path = join(pkg.dir, folder);
  if (!existsSync(path)) {
    throw new Error(
      `${pkg.name} has no built artifact '${folder}' (looked in ${path}): build the packages first with \`npx nx run-many -t build\``,
    );
  }
  return path;
}
