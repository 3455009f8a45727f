// Compiles our Sass over GOV.UK Frontend and copies its JS and images into static/govuk/.
// Output is build output: it is git-ignored and rebuilt by `make assets`.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const govuk = join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk')
const out = join(root, 'static', 'govuk')

rmSync(out, { recursive: true, force: true })
mkdirSync(join(out, 'assets'), { recursive: true })

const result = sass.compile(join(root, 'static', 'scss', 'site.scss'), {
  style: 'compressed',
  importers: [new sass.NodePackageImporter(root)],
  quietDeps: true
})
writeFileSync(join(out, 'site.css'), result.css)
cpSync(join(govuk, 'govuk-frontend.min.js'), join(out, 'govuk-frontend.min.js'))
// Images only: the GDS Transport fonts are for GOV.UK alone.
cpSync(join(govuk, 'assets', 'images'), join(out, 'assets', 'images'), { recursive: true })
console.log('Built static/govuk')
