#!/usr/bin/env node
// npm links a workspace's bins when `npm install` runs, which is before `npm run build` makes
// dist/: a bin that pointed into dist/ was never linked, and `npx elastiq` in a fresh checkout
// went looking on the registry. This file is in git, so the link always exists.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'main.js');
if (!existsSync(main)) {
  process.stderr.write('elastiq: the command is not built yet: run `npm run build` in the repository first\n');
  process.exit(69);
}
require(main);
