// Reading an algorithm-list keyword: the spec is kept as written, checked against the catalog if one is given.

import { ALGORITHM_ERROR, applyAlgorithmList, type AlgorithmCatalog, type AlgorithmKeyword, type AlgorithmSpec } from './algorithm-list.js';
import { ConfigError } from './config-error.js';
import type { ConfigLine } from './lexer.js';
import { oneArg } from './value-parsers.js';

export function algorithmSpecArg(line: ConfigLine, keyword: AlgorithmKeyword, catalog?: AlgorithmCatalog): AlgorithmSpec {
  const spec = oneArg(line);
  const body = /^[+\-^]/.test(spec) ? spec.slice(1) : spec;
  if (!/^[A-Za-z0-9@._*?+\-]+(,[A-Za-z0-9@._*?+\-]+)*$/.test(body)) {
    throw ConfigError.at(line, `${ALGORITHM_ERROR[keyword]} '${spec}'.`);
  }
  const known = catalog?.[keyword];
  if (known) applyAlgorithmList(known.defaults, known.supported, spec, line, ALGORITHM_ERROR[keyword]);
  return { spec, file: line.file, line: line.line };
}
