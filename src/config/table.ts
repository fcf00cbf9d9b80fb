import { CONFIG_FILE_ENV, CONFIG_FILE_FLAG, OPTIONS } from './options.js';

/** The README's option table, generated so docs and code cannot disagree. */
export function renderOptionsMarkdown(): string {
  const rows = [
    '| Option (YAML key) | Flag | Env | Default | Description |',
    '| --- | --- | --- | --- | --- |',
    `| – | \`${CONFIG_FILE_FLAG} <path>\` | \`${CONFIG_FILE_ENV}\` | – | YAML file with any of the keys below. |`,
    ...OPTIONS.map(
      (o) =>
        `| \`${o.yamlKey}\` | \`${o.optionalValue ? o.flag : `${o.flag} <${o.valueName}>`}\` | \`${o.env}\` | \`${o.defaultText}\` | ${o.description.replace(/\|/g, '\\|')} |`,
    ),
  ];
  return rows.join('\n') + '\n';
}
