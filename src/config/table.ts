import { CONFIG_FILE_ENV, CONFIG_FILE_FLAG, OPTIONS } from './options.js';

/** Marks an option that can change while the node runs (README: "Changing settings at run time"). */
export const RUNTIME_MARK = '**(runtime)**';

/** The README's option table, generated so docs and code cannot disagree. */
export function renderOptionsMarkdown(): string {
  const rows = [
    '| Option (YAML key) | Flag | Env | Default | Description |',
    '| --- | --- | --- | --- | --- |',
    `| – | \`${CONFIG_FILE_FLAG} <path>\` | \`${CONFIG_FILE_ENV}\` | – | YAML file with any of the keys below. |`,
    ...OPTIONS.map(
      (o) =>
        `| \`${o.yamlKey}\` | \`${(o.optionalValue ? o.flag : `${o.flag} <${o.valueName}>`).replace(/\|/g, '\\|')}\` | \`${o.env}\` | \`${o.defaultText}\` | ${o.runtime ? `${RUNTIME_MARK} ` : ''}${o.description.replace(/\|/g, '\\|')} |`,
    ),
  ];
  return rows.join('\n') + '\n';
}
