import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { dirname, parse } from 'node:path'

/** A file the run will write, and the option that names it. */
export interface OutputPath {
  option: string
  path: string
}

/**
 * What stands in the way of writing each file, checked before any request: a scan lasts minutes, and a
 * report that cannot be written after it would be lost. A file can be written when it is not a folder and
 * its nearest existing folder is one this process may write in (the folders below it are made on
 * writing). Nothing is created here.
 */
export async function outputPathProblems(outputs: readonly OutputPath[]): Promise<string[]> {
  const problems = await Promise.all(outputs.map(async output => problemWith(output)))
  return problems.filter((problem): problem is string => problem !== undefined)
}

async function problemWith({ option, path }: OutputPath): Promise<string | undefined> {
  const cannot = (why: string) => `'${option}' cannot be written to ${path}: ${why}`
  if ((await kindOf(path)) === 'folder') return cannot('it is a folder')
  let folder = dirname(path)
  for (;;) {
    const kind = await kindOf(folder)
    if (kind === 'file') return cannot(`${folder} is a file, not a folder`)
    if (kind === 'folder') break
    if (folder === parse(folder).root) return cannot('no folder of its path exists')
    folder = dirname(folder)
  }
  try {
    await access(folder, constants.W_OK)
    return undefined
  } catch {
    return cannot(`this process may not write in ${folder}`)
  }
}

async function kindOf(path: string): Promise<'file' | 'folder' | undefined> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'file'
  } catch {
    return undefined
  }
}
