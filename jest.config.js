// One jest run over every workspace that has a jest.config.js, so CI gets a single total.
const fs = require('node:fs');
const path = require('node:path');
const roots = ['packages', 'apps'].flatMap((dir) =>
  fs.readdirSync(path.join(__dirname, dir)).map((name) => path.join(__dirname, dir, name)),
);
roots.push(path.join(__dirname, 'test'));
module.exports = {
  projects: roots.filter((dir) => fs.existsSync(path.join(dir, 'jest.config.js'))),
  maxWorkers: 2,
  // In a multi-project run a project's testTimeout is ignored: this is the one that applies.
  // Suites that spawn whole fleets (test/) raise it per file with jest.setTimeout.
  testTimeout: 60000,
};
