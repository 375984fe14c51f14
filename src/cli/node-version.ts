// Imported first by the command's entry point, so that it runs before any other module: on an older
// Node, the command would otherwise fail later with an error that says nothing about the version.
const NEEDED_MAJOR = 22

if (Number(process.versions.node.split('.')[0]) < NEEDED_MAJOR) {
  process.stderr.write(
    `crashtest-dast needs Node.js ${NEEDED_MAJOR} or later; this is Node.js ${process.versions.node}.\n`
  )
  process.exit(2)
}

export {}
